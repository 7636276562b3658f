package views

import (
	"regexp"
	"strings"
)

// diffPart is a run of text in a comparison of two versions: the same in
// both (Op 0), only in the older (Op -1) or only in the newer (Op 1).
type diffPart struct {
	Text string
	Op   int
}

// diffWords splits text into words, each with the spaces after it.
var diffWords = regexp.MustCompile(`^\s+|\S+\s*`)

// maxDiffCells bounds the work of a comparison (a table of that many
// 16-bit cells): past it, the two versions are shown whole.
const maxDiffCells = 4_000_000

// wordDiff compares two versions of a text word by word, for moderators
// to see what an edit changed.
func wordDiff(older, newer string) []diffPart {
	a, b := diffWords.FindAllString(older, -1), diffWords.FindAllString(newer, -1)
	// The common start and end are most of an edit: compare only the rest.
	pre := 0
	for pre < len(a) && pre < len(b) && strings.TrimSpace(a[pre]) == strings.TrimSpace(b[pre]) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && strings.TrimSpace(a[len(a)-1-suf]) == strings.TrimSpace(b[len(b)-1-suf]) {
		suf++
	}
	var out []diffPart
	add := func(text string, op int) {
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			return
		}
		out = append(out, diffPart{text, op})
	}
	for _, w := range b[:pre] {
		add(w, 0)
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)*len(mb) > maxDiffCells {
		add(strings.Join(ma, ""), -1)
		add(strings.Join(mb, ""), 1)
	} else {
		// lcs[i][j] is the length of the longest common run of ma[i:], mb[j:].
		w := len(mb) + 1
		lcs := make([]uint16, (len(ma)+1)*w)
		for i := len(ma) - 1; i >= 0; i-- {
			for j := len(mb) - 1; j >= 0; j-- {
				if strings.TrimSpace(ma[i]) == strings.TrimSpace(mb[j]) {
					lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
				} else {
					lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(ma) && j < len(mb) {
			switch {
			case strings.TrimSpace(ma[i]) == strings.TrimSpace(mb[j]):
				add(mb[j], 0)
				i, j = i+1, j+1
			case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
				add(ma[i], -1)
				i++
			default:
				add(mb[j], 1)
				j++
			}
		}
		for ; i < len(ma); i++ {
			add(ma[i], -1)
		}
		for ; j < len(mb); j++ {
			add(mb[j], 1)
		}
	}
	for _, w := range b[len(b)-suf:] {
		add(w, 0)
	}
	return out
}
