package salon

import "testing"

func TestActionEventSentence(t *testing.T) {
	tests := []struct {
		name, who, event string
		sentTo           int
		want             string
	}{
		{"a person queues", "Mia Chen", "queue", 0, "Mia Chen queued"},
		{"a person approves", "Olive", "approve", 0, "Olive approved"},
		{"a finished send says how many", "Mia Chen", "success", 267, "sent to 267"},
		{"a finished single action", "Mia Chen", "success", 0, "done"},
		{"expiry is the system's", "System", "expire", 0, "expired"},
		{"an unknown event reads as itself", "Olive", "archive", 0, "Olive archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ActionEventSentence(tt.who, tt.event, tt.sentTo); got != tt.want {
				t.Errorf("ActionEventSentence(%q, %q, %d) = %q, want %q", tt.who, tt.event, tt.sentTo, got, tt.want)
			}
		})
	}
}

func TestCommonTimeZonesAreValid(t *testing.T) {
	for _, z := range CommonTimeZones {
		if !ValidTimeZone(z) {
			t.Errorf("%s is offered but not a zone this binary knows", z)
		}
	}
}
