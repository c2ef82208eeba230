package spectro

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"sync"
)

// PNGEncoder writes raw images as PNG quickly. Grayscale (*image.Gray) and
// paletted (*image.Paletted) images are written by a small encoder of our
// own: every row with the PNG "Up" filter (rows of a spectrogram image
// resemble their neighbours) and zlib at a fast level, into a reused
// buffer, then written to w with one Write. Other images go to
// image/png at BestSpeed. The zero value is ready to use and safe for
// concurrent use.
type PNGEncoder struct {
	// Level is the zlib level: 0 means HuffmanOnly (no string matching:
	// the fastest, about 10-20% larger files), or flate.BestSpeed ...
	// flate.BestCompression.
	Level int

	pool sync.Pool // *pngState
	std  png.Encoder
	once sync.Once
}

type pngState struct {
	buf   bytes.Buffer
	zw    *zlib.Writer
	level int
	cur   []byte
	prev  []byte
	zbuf  bytes.Buffer
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// Encode writes img to w as PNG.
func (e *PNGEncoder) Encode(w io.Writer, img image.Image) error {
	var pix []uint8
	var stride int
	var pal []byte
	var colorType byte
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		pix, stride, colorType = m.Pix, m.Stride, 0
	case *image.Paletted:
		if len(m.Palette) == 0 || len(m.Palette) > 256 {
			return e.stdEncode(w, img)
		}
		pix, stride, colorType = m.Pix, m.Stride, 3
		pal = make([]byte, 0, 3*len(m.Palette))
		for _, c := range m.Palette {
			r, g, b, a := c.RGBA()
			if a != 0xffff {
				return e.stdEncode(w, img)
			}
			pal = append(pal, byte(r>>8), byte(g>>8), byte(b>>8))
		}
	default:
		return e.stdEncode(w, img)
	}
	W, H := b.Dx(), b.Dy()
	if W <= 0 || H <= 0 {
		return e.stdEncode(w, img)
	}
	level := e.Level
	if level == 0 {
		level = flate.HuffmanOnly
	}
	st, _ := e.pool.Get().(*pngState)
	if st == nil || st.level != level {
		st = &pngState{level: level}
		var err error
		if st.zw, err = zlib.NewWriterLevel(&st.zbuf, level); err != nil {
			return err
		}
	}
	defer e.pool.Put(st)
	st.buf.Reset()
	st.buf.Write(pngSignature)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(W))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(H))
	ihdr[8] = 8 // bit depth
	ihdr[9] = colorType
	writeChunk(&st.buf, "IHDR", ihdr[:])
	if pal != nil {
		writeChunk(&st.buf, "PLTE", pal)
	}
	// Image data: filter byte 2 (Up) and the row minus the row above
	// (the row above the first is zero).
	st.zbuf.Reset()
	st.zw.Reset(&st.zbuf)
	if cap(st.cur) < W+1 {
		st.cur = make([]byte, W+1)
		st.prev = make([]byte, W)
	}
	cur, prev := st.cur[:W+1], st.prev[:W]
	clear(prev)
	cur[0] = 2
	for y := 0; y < H; y++ {
		row := pix[y*stride : y*stride+W]
		out := cur[1:]
		for x, v := range row {
			out[x] = v - prev[x]
		}
		copy(prev, row)
		if _, err := st.zw.Write(cur); err != nil {
			return err
		}
	}
	if err := st.zw.Close(); err != nil {
		return err
	}
	writeChunk(&st.buf, "IDAT", st.zbuf.Bytes())
	writeChunk(&st.buf, "IEND", nil)
	_, err := w.Write(st.buf.Bytes())
	return err
}

func (e *PNGEncoder) stdEncode(w io.Writer, img image.Image) error {
	e.once.Do(func() { e.std.CompressionLevel = png.BestSpeed })
	return e.std.Encode(w, img)
}

// writeChunk appends a PNG chunk: length, type, data, CRC of type and data.
func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(data)))
	copy(hdr[4:], typ)
	b.Write(hdr[:])
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	crc.Write(data)
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc.Sum32())
	b.Write(sum[:])
}
