package serialport

import (
	"io"
	"path/filepath"
	"testing"

	"go.bug.st/serial"
)

// timeoutPort times out (0, nil) twice before each chunk of data, then
// reports io.EOF.
type timeoutPort struct {
	serial.Port
	chunks []string
	calls  int
}

func (p *timeoutPort) Read(b []byte) (int, error) {
	p.calls++
	if p.calls%3 != 0 {
		return 0, nil
	}
	if len(p.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(b, p.chunks[0])
	p.chunks = p.chunks[1:]
	return n, nil
}

// Read timeouts are retried: a reader sees the data and the end, never (0, nil).
func TestReadRetriesTimeouts(t *testing.T) {
	r := portReader{&timeoutPort{chunks: []string{"0.1\n", "0.2\n"}}}
	b := make([]byte, 16)
	for _, want := range []string{"0.1\n", "0.2\n"} {
		if n, err := r.Read(b); string(b[:n]) != want || err != nil {
			t.Fatalf("Read = %q, %v; want %q", b[:n], err, want)
		}
	}
	if n, err := r.Read(b); n != 0 || err != io.EOF {
		t.Fatalf("Read at the end = %d, %v; want 0, EOF", n, err)
	}
}

func TestOpenMissingDevice(t *testing.T) {
	if _, err := Opener(filepath.Join(t.TempDir(), "ttyNONE"), 115200)(t.Context()); err == nil {
		t.Fatal("opened a device that does not exist")
	}
}
