package handlers_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkPhotoUploads starts the real server (BENCH_BIN) on a fresh demo
// database and sends it 8 story uploads at once, in rounds: hostile photos
// (7000 × 7000 PNGs, 8- and 16-bit, that declare their size in a tiny
// file, and a real 7000 × 7000 JPEG); 32-megapixel progressive 4:4:4
// JPEGs of 183 KB (511 MB each to decode and scale: refused from their
// header); the largest progressive 4:4:4 JPEGs the gate lets through
// (2,560 × 2,560, 127 MB each: decoded one at a time); 12-megapixel
// progressive photos; then eight 24-megapixel phone photos that must be
// decoded. It prints each round's answers and time and the server's peak
// resident memory in the round, which must stay under 300 MB.
func BenchmarkPhotoUploads(b *testing.B) {
	bin := os.Getenv("BENCH_BIN")
	if bin == "" {
		b.Skip("BENCH_BIN not set: run make bench")
	}
	dir := b.TempDir()
	// Each upload comes from its own address, as from many phones, so that
	// the per-address story limit does not answer in the photos' place.
	base, cmd := startServing(b, bin, []string{"TRACKER_TRUSTED_PROXIES=127.0.0.1/32"},
		"--demo", "--database-url", filepath.Join(dir, "photos.db"), "--data-dir", dir)
	hostile := []photoUpload{
		{"rgba.png", "image/png", declaredPNG(b, 7000, 7000, 8, 6)},
		{"rgb16.png", "image/png", declaredPNG(b, 7000, 7000, 16, 2)},
		{"rgba16.png", "image/png", declaredPNG(b, 7000, 7000, 16, 6)},
		{"big.jpg", "image/jpeg", noiseJPEG(b, 7000, 7000)},
	}
	phone := photoUpload{"phone.jpg", "image/jpeg", noiseJPEG(b, 6000, 4000)}
	bomb := photoUpload{"bomb.jpg", "image/jpeg", progressiveJPEG(6928, 4619, []byte{0x11, 0x11, 0x11})}
	atLimit := photoUpload{"limit.jpg", "image/jpeg", progressiveJPEG(2560, 2560, []byte{0x11, 0x11, 0x11})}
	progPhone := photoUpload{"prog.jpg", "image/jpeg", progressiveJPEG(4032, 3024, []byte{0x22, 0x11, 0x11})}
	fmt.Printf("photos: hostile JPEG %.1f MB, phone JPEG %.1f MB, progressive 32 MP JPEG %d KB\n",
		float64(len(hostile[3].data))/(1<<20), float64(len(phone.data))/(1<<20), len(bomb.data)>>10)
	eight := func(u photoUpload) []photoUpload { return []photoUpload{u, u, u, u, u, u, u, u} }
	start := peakRSS(cmd.Process.Pid)
	ip := 0
	for range b.N {
		for _, round := range []struct {
			name    string
			uploads []photoUpload
		}{
			{"hostile", append(hostile, hostile...)},
			{"progressive 32 MP 4:4:4", eight(bomb)},
			{"progressive at the limit", eight(atLimit)},
			{"progressive 12 MP", eight(progPhone)},
			{"phone 24 MP", eight(phone)},
		} {
			// Each round's peak is its own: writing 5 to clear_refs resets
			// the high-water mark (Linux 4.0 and later).
			os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", cmd.Process.Pid), []byte("5"), 0)
			var mu sync.Mutex
			statuses := map[int]int{}
			var wg sync.WaitGroup
			t0 := time.Now()
			for _, u := range round.uploads {
				ip++
				wg.Add(1)
				go func(u photoUpload, ip int) {
					defer wg.Done()
					status, err := uploadStory(base, fmt.Sprintf("10.0.%d.%d", ip/250, ip%250+1), u)
					if err != nil {
						b.Error(err)
					}
					mu.Lock()
					statuses[status]++
					mu.Unlock()
				}(u, ip)
			}
			wg.Wait()
			var answers []string
			for status, n := range statuses {
				answers = append(answers, fmt.Sprintf("%d× %d", n, status))
				if status >= 500 && status != http.StatusServiceUnavailable {
					b.Errorf("%s: %d answers %d", round.name, n, status)
				}
			}
			sort.Strings(answers)
			rss := peakRSS(cmd.Process.Pid)
			fmt.Printf("photos %-24s 8 at once: %5.1f s  answers %s  server peak RSS %d MB (idle %d MB)\n",
				round.name, time.Since(t0).Seconds(), strings.Join(answers, ", "), rss>>20, start>>20)
			if rss > 300<<20 {
				b.Errorf("%s: peak RSS %d MB, over 300 MB", round.name, rss>>20)
			}
		}
	}
}

type photoUpload struct {
	name, contentType string
	data              []byte
}

// uploadStory fetches the story form as a browser would, then sends a
// story with the photo from address ip; it returns the answer's status.
func uploadStory(base, ip string, u photoUpload) (int, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 2 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(base + "/stories/new")
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	var token string
	for _, ck := range res.Cookies() {
		if ck.Name == "ltl_csrf" {
			token = ck.Value
		}
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", token)
	for k, vs := range validStoryForm() {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="photo"; filename=%q`, u.name))
	h.Set("Content-Type", u.contentType)
	part, _ := w.CreatePart(h)
	part.Write(u.data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/stories", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-Forwarded-For", ip)
	res, err = hc.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// declaredPNG is a tiny PNG whose header declares a w × h image.
func declaredPNG(b *testing.B, w, h uint32, depth, colorType byte) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		b.Fatal(err)
	}
	p := buf.Bytes()
	binary.BigEndian.PutUint32(p[16:], w)
	binary.BigEndian.PutUint32(p[20:], h)
	p[24], p[25] = depth, colorType
	binary.BigEndian.PutUint32(p[29:], crc32.ChecksumIEEE(p[12:29]))
	return p
}

// noiseJPEG is a real w × h JPEG with texture, as a camera makes.
func noiseJPEG(b *testing.B, w, h int) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	// Gradients with a fine grain: about the size of a phone's photo.
	for i := range img.Y {
		x, y := i%w, i/w
		img.Y[i] = byte((x+y)/16 + (x*y)%5)
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = byte(i/w), byte(i%w/8)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// progressiveJPEG is a real progressive (SOF2) w × h JPEG of one flat
// grey, with components sampled as hv says (0x11 0x11 0x11 is 4:4:4):
// one DC scan, a bit per 8 × 8 block, which Go's decoder reads as any
// progressive file, holding 64 coefficients for every block of every
// component until the end. 32 megapixels at 4:4:4 take 183 KB.
func progressiveJPEG(w, h int, hv []byte) []byte {
	var b bytes.Buffer
	seg := func(marker byte, payload []byte) {
		b.Write([]byte{0xFF, marker})
		binary.Write(&b, binary.BigEndian, uint16(len(payload)+2))
		b.Write(payload)
	}
	b.Write([]byte{0xFF, 0xD8})
	seg(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
	q := bytes.Repeat([]byte{1}, 65)
	q[0] = 0
	seg(0xDB, q)
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(len(hv))}
	sos := []byte{byte(len(hv))}
	units := 0
	for i, s := range hv {
		sof = append(sof, byte(i+1), s, 0)
		sos = append(sos, byte(i+1), 0)
		units += int(s>>4) * int(s&15)
	}
	seg(0xC2, sof)
	seg(0xC4, append(append([]byte{0x00, 1}, make([]byte, 15)...), 0)) // one 1-bit code: DC difference 0
	seg(0xDA, append(sos, 0, 0, 0))                                    // DC only
	h0, v0 := int(hv[0]>>4), int(hv[0]&15)
	bits := (w + 8*h0 - 1) / (8 * h0) * ((h + 8*v0 - 1) / (8 * v0)) * units
	data := make([]byte, (bits+7)/8)
	if r := bits % 8; r != 0 {
		data[len(data)-1] = byte(0xFF >> r)
	}
	b.Write(data)
	b.Write([]byte{0xFF, 0xD9})
	return b.Bytes()
}
