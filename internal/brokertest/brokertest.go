// Package brokertest starts a real MQTT broker (Debian's Mosquitto) on a
// free loopback port for tests, and skips the test when it is not
// installed (.ci/serve-deps installs it).
package brokertest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Broker is a Mosquitto started for a test.
type Broker struct {
	t    testing.TB
	bin  string
	conf string
	// Port is the loopback port it listens on.
	Port int
	mu   sync.Mutex // guards cmd: a test may stop or restart it from another goroutine
	cmd  *exec.Cmd
}

// Binary returns the path of the mosquitto binary, "" when it is not
// installed.
func Binary() string {
	if bin, err := exec.LookPath("mosquitto"); err == nil {
		return bin
	}
	if _, err := os.Stat("/usr/sbin/mosquitto"); err == nil {
		return "/usr/sbin/mosquitto"
	}
	return ""
}

// Start starts Mosquitto on a free loopback port (anonymous, no
// persistence, a queue of 100,000 messages a client), stopped when the
// test ends; it skips the test when Mosquitto is not installed.
func Start(t testing.TB) *Broker {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skip("mosquitto not installed (Debian package mosquitto; .ci/serve-deps)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	conf := filepath.Join(t.TempDir(), "mosquitto.conf")
	text := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n", port)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	b := &Broker{t: t, bin: bin, conf: conf, Port: port}
	b.Restart()
	t.Cleanup(b.Stop)
	return b
}

// URL is the broker's URL, tcp://127.0.0.1:PORT.
func (b *Broker) URL() string { return fmt.Sprintf("tcp://127.0.0.1:%d", b.Port) }

// Restart starts the broker again after Stop (Start starts it the first
// time), and waits until it listens.
func (b *Broker) Restart() {
	b.t.Helper()
	b.mu.Lock()
	b.cmd = exec.Command(b.bin, "-c", b.conf)
	err := b.cmd.Start()
	b.mu.Unlock()
	if err != nil {
		b.t.Fatal(err)
	}
	for range 100 {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", b.Port))
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatal("mosquitto did not start listening")
}

// Stop kills the broker.
func (b *Broker) Stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd != nil && b.cmd.Process != nil {
		b.cmd.Process.Kill()
		b.cmd.Wait()
		b.cmd = nil
	}
}
