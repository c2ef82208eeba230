package wfdb

// FLAC signal files (formats 508, 516, 524) are read and written with
// github.com/mewkiz/flac, a pure-Go FLAC decoder and encoder. As in the WFDB
// library, each signal of a file is one FLAC channel (at most 8), all
// signals of a file have the same number of samples per frame, and a
// channel holds its signal's samples at the signal's own rate.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"
)

// maxFLACSamples bounds the samples (over all channels) decoded from one
// FLAC file whose length the header does not give, so that a small
// hostile file cannot claim gigabytes.
const maxFLACSamples = 1 << 28

// flacFrames decodes a FLAC signal file and returns its number of whole
// frames; the decoded samples are kept in g for decodeFLACFile.
func flacFrames(path string, g *group) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if g.offset > 0 {
		if _, err := f.Seek(g.offset, io.SeekStart); err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
	}
	limit := int64(maxFLACSamples)
	if g.limitFrames > 0 {
		limit = min(limit, g.limitFrames*int64(g.spf))
	}
	flat, err := DecodeFLAC(bufio.NewReaderSize(f, 1<<16), g.format, g.n, g.spf/g.n, limit)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	g.flac = flat
	return int64(len(flat) / g.spf), nil
}

// decodeFLACFile returns the first frames of a FLAC group decoded by
// flacFrames.
func decodeFLACFile(path string, g *group, frames int64) ([]int32, error) {
	need := frames * int64(g.spf)
	if int64(len(g.flac)) < need {
		return nil, fmt.Errorf("%s: %w: %d samples, need %d", path, ErrTruncated, len(g.flac), need)
	}
	return g.flac[:need], nil
}

// DecodeFLAC decodes a WFDB FLAC signal stream of nsig signals with spf
// samples per frame each, and returns the samples in frame order (frame 0:
// signal 0's spf samples, signal 1's, ...; then frame 1), with the format's
// sentinel mapped to InvalidSample. Decoding stops after limit samples
// (over all channels); a trailing partial frame is dropped.
func DecodeFLAC(r io.Reader, f Format, nsig, spf int, limit int64) (out []int32, err error) {
	if !f.IsFLAC() {
		return nil, fmt.Errorf("format %d: %w", f, ErrUnknownFormat)
	}
	if nsig < 1 || nsig > 8 || spf < 1 {
		return nil, fmt.Errorf("format %d: %d signals of %d samples per frame: %w (FLAC holds 1 to 8 channels)", f, nsig, spf, ErrUnsupported)
	}
	defer func() {
		// The decoder is third-party code fed with outside bytes: turn any
		// panic into an error.
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("FLAC: %w: decoder failed: %v", ErrBadData, p)
		}
	}()
	stream, err := flac.New(r)
	if err != nil {
		return nil, fmt.Errorf("FLAC: %w: %v", ErrBadData, err)
	}
	if int(stream.Info.NChannels) != nsig {
		return nil, fmt.Errorf("FLAC: %w: %d channels, header describes %d signals", ErrBadData, stream.Info.NChannels, nsig)
	}
	if int(stream.Info.BitsPerSample) > f.Bits() {
		return nil, fmt.Errorf("FLAC: %w: %d bits per sample, format %d holds %d", ErrBadData, stream.Info.BitsPerSample, f, f.Bits())
	}
	sent := f.sentinel()
	// chans accumulates the samples of each channel; out receives whole
	// frames as they complete.
	chans := make([][]int32, nsig)
	emitted := 0 // samples per channel already moved to out
	for {
		fr, err := stream.ParseNext()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("FLAC: %w: %v", ErrBadData, err)
		}
		if len(fr.Subframes) != nsig {
			return nil, fmt.Errorf("FLAC: %w: frame with %d channels, want %d", ErrBadData, len(fr.Subframes), nsig)
		}
		for c, sf := range fr.Subframes {
			chans[c] = append(chans[c], sf.Samples[:sf.NSamples]...)
		}
		// Move whole frames out.
		avail := len(chans[0])
		for _, ch := range chans[1:] {
			avail = min(avail, len(ch))
		}
		nfr := (avail - emitted) / spf
		for t := 0; t < nfr; t++ {
			for c := range chans {
				for _, v := range chans[c][emitted : emitted+spf] {
					if v == sent {
						v = InvalidSample
					}
					out = append(out, v)
				}
			}
			emitted += spf
		}
		if int64(len(out)) >= limit {
			return out[:limit/int64(nsig*spf)*int64(nsig*spf)], nil
		}
		// Drop what has been emitted, keeping memory to one FLAC block.
		if emitted > 1<<16 {
			for c := range chans {
				chans[c] = append(chans[c][:0], chans[c][emitted:]...)
			}
			emitted = 0
		}
	}
	return out, nil
}

// ErrBadData reports signal data that cannot be decoded.
var ErrBadData = errors.New("bad signal data")

// EncodeFLAC writes samples in frame order (as DecodeFLAC returns them) of
// nsig signals with spf samples per frame as a FLAC stream in format f.
// Invalid samples are written as the format's sentinel; values outside the
// format's range are clamped.
func EncodeFLAC(w io.Writer, f Format, nsig, spf int, samples []int32) error {
	if !f.IsFLAC() {
		return fmt.Errorf("format %d: %w", f, ErrUnknownFormat)
	}
	if nsig < 1 || nsig > 8 || spf < 1 {
		return fmt.Errorf("format %d: %d signals: %w (FLAC holds 1 to 8 channels)", f, nsig, ErrUnsupported)
	}
	k := nsig * spf
	if len(samples)%k != 0 {
		return fmt.Errorf("format %d: %d samples is not a whole number of %d-sample frames", f, len(samples), k)
	}
	nframes := len(samples) / k
	lo, hi := f.Range()
	sent := f.sentinel()
	chans := make([][]int32, nsig)
	for c := range chans {
		chans[c] = make([]int32, 0, nframes*spf)
	}
	for t := 0; t < nframes; t++ {
		for c := 0; c < nsig; c++ {
			for _, v := range samples[t*k+c*spf : t*k+c*spf+spf] {
				if v == InvalidSample {
					v = sent
				} else {
					v = min(max(v, lo), hi)
				}
				chans[c] = append(chans[c], v)
			}
		}
	}
	total := nframes * spf
	info := &meta.StreamInfo{
		BlockSizeMin:  4096,
		BlockSizeMax:  4096,
		SampleRate:    96000,
		NChannels:     uint8(nsig),
		BitsPerSample: uint8(f.Bits()),
		NSamples:      uint64(total),
	}
	var buf bytes.Buffer
	enc, err := flac.NewEncoder(&buf, info)
	if err != nil {
		return err
	}
	const block = 4096
	for start := 0; start < total; start += block {
		end := min(start+block, total)
		fr := &frame.Frame{
			Header: frame.Header{
				HasFixedBlockSize: true,
				BlockSize:         uint16(end - start),
				SampleRate:        96000,
				Channels:          frame.Channels(nsig - 1),
				BitsPerSample:     uint8(f.Bits()),
			},
		}
		for c := 0; c < nsig; c++ {
			fr.Subframes = append(fr.Subframes, &frame.Subframe{
				SubHeader: frame.SubHeader{Pred: frame.PredVerbatim},
				Samples:   chans[c][start:end],
				NSamples:  end - start,
			})
		}
		if err := enc.WriteFrame(fr); err != nil {
			return err
		}
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}
