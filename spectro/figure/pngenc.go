package figure

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"io"
	"runtime"
	"sync"
)

// pngBand is the number of image rows compressed as one independent piece
// of the zlib stream (a fixed number, so that the bytes do not depend on
// the number of CPUs).
const pngBand = 256

// encodeOpaquePNG writes an opaque RGBA image as an 8-bit RGB PNG (the PNG
// specification, ISO/IEC 15948): every row with the Up filter, the image
// data deflated in bands of pngBand rows compressed in parallel and joined
// by sync flushes into one zlib stream. A strip chart metres long is
// mostly rows that repeat the one above (the grid), which Up makes zeros:
// the file is about as small as image/png's adaptive filters make it, in a
// fraction of the time. The output is the same for the same image.
func encodeOpaquePNG(w io.Writer, img *image.RGBA) error {
	b := img.Bounds()
	width, height := b.Dx(), b.Dy()
	bands := (height + pngBand - 1) / pngBand
	out := make([][]byte, bands)
	sums := make([]uint32, bands)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for k := 0; k < bands; k++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(k int) {
			defer func() { <-sem; wg.Done() }()
			out[k], sums[k] = deflateBand(img, k*pngBand, min(height, (k+1)*pngBand), k == bands-1)
		}(k)
	}
	wg.Wait()
	var hdr [13]byte
	binary.BigEndian.PutUint32(hdr[0:], uint32(width))
	binary.BigEndian.PutUint32(hdr[4:], uint32(height))
	hdr[8], hdr[9] = 8, 2 // 8 bits, RGB
	if _, err := w.Write([]byte("\x89PNG\r\n\x1a\n")); err != nil {
		return err
	}
	if err := writeChunk(w, "IHDR", hdr[:]); err != nil {
		return err
	}
	if err := writeChunk(w, "IDAT", []byte{0x78, 0x01}); err != nil { // zlib header: deflate, 32 KiB window
		return err
	}
	sum := uint32(1)
	for k := range out {
		sum = adlerCombine(sum, sums[k], bandBytes(width, k, height))
		if err := writeChunk(w, "IDAT", out[k]); err != nil {
			return err
		}
	}
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], sum)
	if err := writeChunk(w, "IDAT", tail[:]); err != nil {
		return err
	}
	return writeChunk(w, "IEND", nil)
}

// bandBytes is the length of band k's filtered rows.
func bandBytes(width, k, height int) int {
	rows := min(height, (k+1)*pngBand) - k*pngBand
	return rows * (1 + 3*width)
}

// deflateBand filters rows [y0, y1) and deflates them; the last band ends
// the stream, the others end in a sync flush. It returns the compressed
// bytes and the Adler-32 of the filtered rows.
func deflateBand(img *image.RGBA, y0, y1 int, last bool) ([]byte, uint32) {
	b := img.Bounds()
	width := b.Dx()
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	row := make([]byte, 1+3*width)
	sum := adler32.New()
	for y := y0; y < y1; y++ {
		cur := img.Pix[y*img.Stride : y*img.Stride+4*width]
		var prev []byte
		if y > 0 {
			prev = img.Pix[(y-1)*img.Stride : (y-1)*img.Stride+4*width]
		}
		row[0] = 2 // Up
		out := row[1:]
		for x := 0; x < width; x++ {
			p, q := cur[4*x:4*x+3], out[3*x:3*x+3]
			if prev == nil {
				q[0], q[1], q[2] = p[0], p[1], p[2]
				continue
			}
			u := prev[4*x : 4*x+3]
			q[0], q[1], q[2] = p[0]-u[0], p[1]-u[1], p[2]-u[2]
		}
		sum.Write(row)
		fw.Write(row)
	}
	if last {
		fw.Close()
	} else {
		fw.Flush()
	}
	return buf.Bytes(), sum.Sum32()
}

// adlerCombine returns the Adler-32 of a stream whose first part has
// checksum a and whose next n bytes have checksum b (the sums are
// modulo 65521: the second part's sum of sums gains n times the first
// part's sum).
func adlerCombine(a, b uint32, n int) uint32 {
	const mod = 65521
	a1, a2 := uint64(a&0xffff), uint64(a>>16)
	b1, b2 := uint64(b&0xffff), uint64(b>>16)
	rem := uint64(n % mod)
	s1 := (a1 + b1 + mod - 1) % mod
	s2 := (a2 + b2 + rem*a1 + mod*2 - rem) % mod
	return uint32(s2<<16 | s1)
}

// writeChunk writes a PNG chunk: length, type, data, CRC-32 of type and
// data.
func writeChunk(w io.Writer, typ string, data []byte) error {
	var head [8]byte
	binary.BigEndian.PutUint32(head[:4], uint32(len(data)))
	copy(head[4:], typ)
	crc := crc32.NewIEEE()
	crc.Write(head[4:])
	crc.Write(data)
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], crc.Sum32())
	for _, p := range [][]byte{head[:], data, tail[:]} {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}
