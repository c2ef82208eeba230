package stream

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// closer is an input that counts its Close calls.
type closer struct {
	io.Reader
	closed *int
}

func (c closer) Close() error { *c.closed++; return nil }

func TestRunReconnecting(t *testing.T) {
	s, c := newStream(t, InputOptions{}, Config{Fs: 125})
	opens, closed := 0, 0
	var events []ReconnectEvent
	errNoDevice := errors.New("no such device")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rc := Reconnect{
		Name: "test",
		Open: func(context.Context) (io.ReadCloser, error) {
			opens++
			switch opens {
			case 1, 3:
				return nil, errNoDevice
			case 2:
				return closer{strings.NewReader(strings.Repeat("0.1\n", 150) + "0.2"), &closed}, nil
			case 4:
				// The first line after a reconnection is dropped as partial.
				return closer{strings.NewReader("5\n" + strings.Repeat("0.1\n", 50)), &closed}, nil
			}
			cancel()
			return nil, errNoDevice
		},
		MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond,
		OnEvent: func(e ReconnectEvent) { events = append(events, e) },
	}
	if err := RunReconnecting(ctx, rc, s, nil); err != nil {
		t.Fatal(err)
	}
	if opens != 5 || closed != 2 {
		t.Errorf("%d opens, %d closes; want 5 and 2", opens, closed)
	}
	want := []ReconnectEvent{
		{Err: errNoDevice, Wait: time.Millisecond},
		{Err: ErrDeviceClosed, Disconnected: true},
		{Err: errNoDevice, Wait: time.Millisecond},
		{Err: ErrDeviceClosed, Disconnected: true},
		{Err: errNoDevice, Wait: time.Millisecond},
	}
	if len(events) != len(want) {
		t.Fatalf("events %v, want %v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Errorf("event %d: %+v, want %+v", i, events[i], want[i])
		}
	}
	if n := s.Samples(); n != 200 {
		t.Errorf("%d samples, want 200 (the partial line after reconnection dropped)", n)
	}
	disc := 0
	for _, e := range c.of(EventStatus) {
		if e.Body.(*StatusBody).Input == "disconnected" {
			disc++
		}
	}
	if disc != 2 {
		t.Errorf("%d disconnected status events, want 2", disc)
	}
}

func TestRunReconnectingOnce(t *testing.T) {
	s, _ := newStream(t, InputOptions{}, Config{Fs: 125})
	closed := 0
	rc := Reconnect{
		Name: "serial /dev/x",
		Open: func(context.Context) (io.ReadCloser, error) {
			return closer{strings.NewReader("0.1\n0.2\n"), &closed}, nil
		},
		Once: true,
	}
	err := RunReconnecting(context.Background(), rc, s, nil)
	if !errors.Is(err, ErrDeviceClosed) || err.Error() != "serial /dev/x: device closed" {
		t.Fatalf("error %v, want serial /dev/x: device closed", err)
	}
	if closed != 1 {
		t.Errorf("closed %d times", closed)
	}
}
