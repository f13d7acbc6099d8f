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
	base, email, width := os.Args[1], os.Args[2], os.Args[3]
	paths := os.Args[4:]
	actx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:], chromedp.NoSandbox)...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	defer cancel3()
	w := int64(1280)
	if width == "phone" {
		w = 390
	}
	must(chromedp.Do(ctx, chromedp.EmulateViewport(w, 900),
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), "concierge"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("main")),
	))
	for _, p := range paths {
		must(chromedp.Do(ctx, chromedp.Navigate(base+p), chromedp.Sleep(300*time.Millisecond)))
		var buf []byte
		var err error
		if width == "phone" {
			buf, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		} else {
			buf, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		}
		must(err)
		name := "/tmp/shots/" + width + strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_").Replace(p) + ".png"
		os.MkdirAll("/tmp/shots", 0o755)
		must(os.WriteFile(name, buf, 0o644))
		fmt.Println(name)
	}
}

func must(err error) {
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}
