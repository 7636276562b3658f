// zzshots signs in and screenshots pages (not committed).
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	base, who, out := os.Args[1], os.Args[2], os.Args[3]
	pages := os.Args[4:]
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.NoSandbox, chromedp.Flag("hide-scrollbars", true), chromedp.WindowSize(390, 844))
	if lang := os.Getenv("LANG_UI"); lang != "" {
		opts = append(opts, chromedp.Flag("lang", lang))
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if who != "" {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"),
			chromedp.SendKeys(chromedp.CSS("#email"), who), chromedp.SendKeys(chromedp.CSS("#password"), "learnthroughlife\r"),
			chromedp.Sleep(time.Second)); err != nil {
			panic(err)
		}
	}
	for i, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p), chromedp.Sleep(500*time.Millisecond)); err != nil {
			panic(err)
		}
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			panic(err)
		}
		name := fmt.Sprintf("%s/%02d-%s.png", out, i, strings.Trim(strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_").Replace(p), "_"))
		os.WriteFile(name, buf, 0o644)
		fmt.Println(name)
	}
}
