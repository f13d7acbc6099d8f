package handlers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"concierge/salon"
)

// holdSetup gives the owner a VIP cohort of 55 (so Send needs the hold gesture) and
// opens a cohort-outreach card in the browser. It returns the centre of the hold button.
func holdSetup(t *testing.T, touch bool) (*env, context.Context, float64, float64) {
	t.Helper()
	e := newEnv(t)
	ctx, _ := browser(t)
	for i := 0; i < 55; i++ {
		if _, err := e.st.CreateClient(t.Context(), e.venues["bella"].ID, 0, salon.ClientInput{FirstName: fmt.Sprintf("Vip%02d", i),
			Phone: fmt.Sprintf("0412 600 %03d", i), Tags: "VIP"}); err != nil {
			t.Fatal(err)
		}
	}
	viewport := []chromedp.EmulateViewportOption{}
	if touch {
		viewport = append(viewport, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	step(t, ctx, "open the card", chromedp.EmulateViewport(1100, 900, viewport...), chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "owner@bella.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="kpi-today"]`)),
		chromedp.Navigate(e.srv.URL+"/app/bella/concierge"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="chat-input"]`), "send to VIPs"),
		chromedp.Click(chromedp.CSS(`[data-testid="chat-send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="send-button"][data-hold]`)))
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const b = document.querySelector('[data-testid="send-button"][data-hold]');
		b.scrollIntoView({block: "center"}); const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`))
	if err != nil || len(xy) != 2 {
		t.Fatalf("button position: %v", err)
	}
	if got, _ := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`[data-testid="send-button"]`), "data-recipients")); got.Value != "55" {
		t.Fatalf("55 recipients on the button, got %q", got.Value)
	}
	return e, ctx, xy[0], xy[1]
}

func sentCount(t *testing.T, e *env) int {
	var n int
	n = e.count(`SELECT count(*) FROM messages WHERE purpose = 'cohort'`)
	return n
}

func waitResult(t *testing.T, ctx context.Context) string {
	t.Helper()
	step(t, ctx, "result", chromedp.WaitVisible(chromedp.CSS(`[data-testid="result-summary"]`)))
	s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="result-summary"]`)))
	return s
}

func TestBrowserHoldMouse(t *testing.T) {
	e, ctx, x, y := holdSetup(t, false)
	// A 200 ms press shows the hint and sends nothing.
	step(t, ctx, "short press", chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.MouseEvent(chromedp.MouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.Sleep(500*time.Millisecond))
	hint, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".hold-hint")))
	if hint != "Hold to send" || sentCount(t, e) != 0 {
		t.Fatalf("short press: hint %q, %d sent", hint, sentCount(t, e))
	}
	// 800 ms sends.
	step(t, ctx, "long press", chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.Sleep(800*time.Millisecond),
		chromedp.MouseEvent(chromedp.MouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	if s := waitResult(t, ctx); s != "Sent 55, failed 0" || sentCount(t, e) != 55 {
		t.Fatalf("long press: %q, %d sent", s, sentCount(t, e))
	}
}

func keyEvent(typ input.DispatchKeyEventType, key, code string, vk int64, mods int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: key, Code: code,
			WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk, Modifiers: mods})
		return err
	})
}

func TestBrowserHoldKeyboard(t *testing.T) {
	e, ctx, _, _ := holdSetup(t, false)
	// Ctrl-Enter in the draft focuses the hold button and sends nothing.
	step(t, ctx, "ctrl-enter", chromedp.Focus(chromedp.CSS(`[data-testid="draft-body"]`)),
		keyEvent(input.DispatchKeyEventTypeKeyDown, "Enter", "Enter", 13, int64(chromedp.ModifierCtrl)),
		keyEvent(input.DispatchKeyEventTypeKeyUp, "Enter", "Enter", 13, int64(chromedp.ModifierCtrl)),
		chromedp.Sleep(300*time.Millisecond))
	focused, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.matches('[data-testid="send-button"][data-hold]')`))
	if !focused || sentCount(t, e) != 0 {
		t.Fatalf("ctrl-enter focuses without sending: focused=%v sent=%d", focused, sentCount(t, e))
	}
	// A quick Space tap does nothing but hint; a held Space sends.
	step(t, ctx, "space tap", keyEvent(input.DispatchKeyEventTypeKeyDown, " ", "Space", 32, 0), chromedp.Sleep(150*time.Millisecond),
		keyEvent(input.DispatchKeyEventTypeKeyUp, " ", "Space", 32, 0), chromedp.Sleep(400*time.Millisecond))
	if sentCount(t, e) != 0 {
		t.Fatal("a short key press sends nothing")
	}
	step(t, ctx, "space hold", keyEvent(input.DispatchKeyEventTypeKeyDown, " ", "Space", 32, 0), chromedp.Sleep(800*time.Millisecond),
		keyEvent(input.DispatchKeyEventTypeKeyUp, " ", "Space", 32, 0))
	if s := waitResult(t, ctx); s != "Sent 55, failed 0" {
		t.Fatalf("keyboard hold: %q", s)
	}
}

func TestBrowserHoldTouch(t *testing.T) {
	e, ctx, x, y := holdSetup(t, true)
	touch := func(typ input.DispatchTouchEventType, points []*input.TouchPoint) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: points})
			return err
		})
	}
	pt := []*input.TouchPoint{{X: x, Y: y}}
	step(t, ctx, "short touch", touch(input.DispatchTouchEventTypeTouchStart, pt), chromedp.Sleep(200*time.Millisecond),
		touch(input.DispatchTouchEventTypeTouchEnd, []*input.TouchPoint{}), chromedp.Sleep(500*time.Millisecond))
	if sentCount(t, e) != 0 {
		t.Fatal("a short touch sends nothing")
	}
	step(t, ctx, "touch hold", touch(input.DispatchTouchEventTypeTouchStart, pt), chromedp.Sleep(800*time.Millisecond),
		touch(input.DispatchTouchEventTypeTouchEnd, []*input.TouchPoint{}))
	if s := waitResult(t, ctx); s != "Sent 55, failed 0" {
		t.Fatalf("touch hold: %q", s)
	}
}

func TestBrowserHoldReducedMotion(t *testing.T) {
	e, ctx, x, y := holdSetup(t, false)
	step(t, ctx, "reduced motion", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
		return err
	}), chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)), chromedp.Sleep(100*time.Millisecond))
	ratio, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => { const b = document.querySelector('[data-testid="send-button"][data-hold]');
		return b.querySelector('.hold-fill').getBoundingClientRect().width / b.getBoundingClientRect().width; })()`))
	if err != nil || ratio < 0.45 || ratio > 0.55 {
		t.Fatalf("reduced motion shows a static 50%% fill, got %.2f (%v)", ratio, err)
	}
	step(t, ctx, "release early", chromedp.MouseEvent(chromedp.MouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)), chromedp.Sleep(300*time.Millisecond))
	if sentCount(t, e) != 0 {
		t.Fatal("released early: nothing sent")
	}
}
