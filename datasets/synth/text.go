package synth

import (
	"bufio"
	"context"
	"io"
	"strconv"
	"time"
)

// TextOptions says how WriteText writes samples.
type TextOptions struct {
	// CSV writes "time,ecg" rows (time in seconds, 6 decimals) under a
	// header line instead of one mV value per line.
	CSV bool
	// Realtime paces the output at the sampling rate, in chunks of 50 ms,
	// as a device would send it.
	Realtime bool
}

// WriteText writes the generator's samples to w as text, one sample per
// line in mV with 3 decimals (as ecg stream reads them), until the
// generator ends or ctx is done (then it returns ctx's error after
// flushing what was written).
func (g *Generator) WriteText(ctx context.Context, w io.Writer, opt TextOptions) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if opt.CSV {
		bw.WriteString("time,ecg\n")
	}
	chunk := 4096
	if opt.Realtime {
		chunk = max(1, int(g.fs/20)) // 50 ms
	}
	buf := make([]float64, chunk)
	line := make([]byte, 0, 64)
	start := time.Now()
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			bw.Flush()
			return err
		}
		k := g.Read(buf, nil)
		if k == 0 {
			break
		}
		for _, v := range buf[:k] {
			line = line[:0]
			if opt.CSV {
				line = strconv.AppendFloat(line, float64(n)/g.fs, 'f', 6, 64)
				line = append(line, ',')
			}
			line = strconv.AppendFloat(line, v, 'f', 3, 64)
			line = append(line, '\n')
			bw.Write(line)
			n++
		}
		if opt.Realtime {
			if err := bw.Flush(); err != nil {
				return err
			}
			due := start.Add(time.Duration(float64(n) / g.fs * float64(time.Second)))
			select {
			case <-ctx.Done():
			case <-time.After(time.Until(due)):
			}
		}
	}
	return bw.Flush()
}
