// Package serialport opens serial devices (a monitor on /dev/ttyUSB0) as
// plain io.ReadClosers, so that ecg stream reads them as it reads stdin
// (classify/stream knows nothing of serial ports). It alone holds the
// serial library; only cmd/ecg uses it.
package serialport

import (
	"context"
	"io"
	"time"

	"go.bug.st/serial"
)

// readTimeout is how long one read of the port waits before it is tried
// again: short, so that closing the port ends a pending Read soon.
const readTimeout = 250 * time.Millisecond

// Open opens device at baud bits per second. Its Read waits for data or
// an error (never returns (0, nil)); Close ends a pending Read.
func Open(device string, baud int) (io.ReadCloser, error) {
	p, err := serial.Open(device, &serial.Mode{BaudRate: baud})
	if err != nil {
		return nil, err
	}
	if err := p.SetReadTimeout(readTimeout); err != nil {
		p.Close()
		return nil, err
	}
	return portReader{p}, nil
}

// Opener returns Open of device at baud as the opener of a reconnecting
// input (classify/stream.Reconnect.Open).
func Opener(device string, baud int) func(context.Context) (io.ReadCloser, error) {
	return func(context.Context) (io.ReadCloser, error) { return Open(device, baud) }
}

// portReader reads a serial port, turning read timeouts ((0, nil) from
// go.bug.st/serial) into another try, so that callers see data or an
// error.
type portReader struct{ serial.Port }

func (r portReader) Read(b []byte) (int, error) {
	for {
		n, err := r.Port.Read(b)
		if n > 0 || err != nil {
			return n, err
		}
	}
}
