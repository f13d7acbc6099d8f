package salon

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorMessageReadsWrappedErrors(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"domain error", Conflict("That slot has gone."), "That slot has gone."},
		{"wrapped domain error", fmt.Errorf("store: book: %w", Conflict("That slot has gone.")), "That slot has gone."},
		{"plain error", errors.New("disk full"), "disk full"},
	}
	for _, tc := range cases {
		if got := ErrorMessage(tc.err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
