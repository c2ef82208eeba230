package wfdb

import (
	"encoding/binary"
	"math"
)

// InvalidSample marks a sample that the signal file flags as invalid (each
// format's sentinel, the lowest value it can store) or that does not exist
// (null segments, signals missing from a segment, skew beyond the end). It
// is the lowest int32, which only format 32 could otherwise store, and
// there it is that format's sentinel too.
const InvalidSample int32 = math.MinInt32

// Format is a WFDB signal storage format (the number in the header).
type Format int

// The signal formats.
const (
	FormatNull   Format = 0   // no data; every sample invalid
	Format8      Format = 8   // 8-bit first differences
	Format16     Format = 16  // 16-bit two's complement, little-endian
	Format24     Format = 24  // 24-bit two's complement, little-endian
	Format32     Format = 32  // 32-bit two's complement, little-endian
	Format61     Format = 61  // 16-bit two's complement, big-endian
	Format80     Format = 80  // 8-bit offset binary
	Format160    Format = 160 // 16-bit offset binary, little-endian
	Format212    Format = 212 // two 12-bit samples packed in 3 bytes
	Format310    Format = 310 // three 10-bit samples packed in two 16-bit words
	Format311    Format = 311 // three 10-bit samples packed in a 32-bit word
	FormatFLAC8  Format = 508 // FLAC, 8 bits per sample
	FormatFLAC16 Format = 516 // FLAC, 16 bits per sample
	FormatFLAC24 Format = 524 // FLAC, 24 bits per sample
)

// Known reports whether f is a format this package reads.
func (f Format) Known() bool {
	switch f {
	case FormatNull, Format8, Format16, Format24, Format32, Format61, Format80,
		Format160, Format212, Format310, Format311, FormatFLAC8, FormatFLAC16, FormatFLAC24:
		return true
	}
	return false
}

// IsFLAC reports whether f is one of the FLAC formats (508, 516, 524).
func (f Format) IsFLAC() bool { return f == FormatFLAC8 || f == FormatFLAC16 || f == FormatFLAC24 }

// Bits returns the number of bits of one stored sample value (8 for format
// 8, whose differences are 8 bits wide).
func (f Format) Bits() int {
	switch f {
	case Format8, Format80, FormatFLAC8:
		return 8
	case Format16, Format61, Format160, FormatFLAC16:
		return 16
	case Format24, FormatFLAC24:
		return 24
	case Format32:
		return 32
	case Format212:
		return 12
	case Format310, Format311:
		return 10
	}
	return 0
}

// defaultResolution is the ADC resolution assumed when a header omits it.
func (f Format) defaultResolution() int {
	switch f {
	case Format80:
		return 8
	case Format160:
		return 16
	case Format212:
		return 12
	case Format310, Format311:
		return 10
	}
	return 12
}

// Range returns the smallest and largest valid sample values of f (the
// sentinel, one below Min, marks invalid samples). Format 8 stores
// differences, so its range is that of the 16-bit accumulator WFDB uses for
// its invalid value.
func (f Format) Range() (lo, hi int32) {
	switch f {
	case Format8:
		return math.MinInt32 + 1, math.MaxInt32
	case FormatNull:
		return 0, -1
	}
	b := f.Bits()
	if b == 32 {
		return math.MinInt32 + 1, math.MaxInt32
	}
	return -(1 << (b - 1)) + 1, 1<<(b-1) - 1
}

// sentinel returns the stored value that marks an invalid sample.
func (f Format) sentinel() int32 {
	switch f {
	case Format8, FormatNull:
		return -1 << 15
	case Format32:
		return math.MinInt32
	}
	return -1 << (f.Bits() - 1)
}

// samplesIn returns the number of whole samples that n bytes of format f
// hold, counting the trailing partial groups that WFDB writers emit for odd
// sample counts (212: 2 bytes hold 1 sample; 310: 2 bytes hold 1; 311: 2
// bytes hold 1 and 3 bytes hold 2).
func (f Format) samplesIn(n int64) int64 {
	if n <= 0 {
		return 0
	}
	switch f {
	case Format8, Format80:
		return n
	case Format16, Format61, Format160:
		return n / 2
	case Format24:
		return n / 3
	case Format32:
		return n / 4
	case Format212:
		s := n / 3 * 2
		if n%3 == 2 {
			s++
		}
		return s
	case Format310:
		s := n / 4 * 3
		if n%4 >= 2 {
			s++
		}
		return s
	case Format311:
		s := n / 4 * 3
		switch n % 4 {
		case 2:
			s++
		case 3:
			s += 2
		}
		return s
	}
	return 0
}

// bytesFor returns the number of bytes that n samples take in format f,
// including the padding of trailing partial groups.
func (f Format) bytesFor(n int64) int64 {
	switch f {
	case Format8, Format80:
		return n
	case Format16, Format61, Format160:
		return 2 * n
	case Format24:
		return 3 * n
	case Format32:
		return 4 * n
	case Format212:
		b := n / 2 * 3
		if n%2 == 1 {
			b += 2
		}
		return b
	case Format310, Format311:
		b := n / 3 * 4
		switch n % 3 {
		case 1:
			b += 2
		case 2:
			b += 4
		}
		return b
	}
	return 0
}

// blockSamples is the number of samples in one aligned group of f (the
// unit a decoder can start from): 2 for 212, 3 for 310/311, 1 otherwise.
func (f Format) blockSamples() int64 {
	switch f {
	case Format212:
		return 2
	case Format310, Format311:
		return 3
	}
	return 1
}

// blockBytes is the size of one aligned group of f in bytes.
func (f Format) blockBytes() int64 {
	switch f {
	case Format212:
		return 3
	case Format310, Format311:
		return 4
	}
	return f.bytesFor(1)
}

// DecodeSamples decodes the samples of a flat sample stream in format f
// from src into dst and returns the number of samples written: the smaller
// of len(dst) and the number of samples src holds (trailing bytes that do
// not complete a sample are ignored). Each format's sentinel becomes
// InvalidSample. Format 8 yields the raw 8-bit differences (the caller
// accumulates them per signal); the FLAC formats are not handled here (see
// decodeFLAC).
func DecodeSamples(f Format, dst []int32, src []byte) int {
	n := int(min(int64(len(dst)), f.samplesIn(int64(len(src)))))
	dst = dst[:n]
	switch f {
	case Format8:
		for i := range dst {
			dst[i] = int32(int8(src[i]))
		}
	case Format80:
		for i := range dst {
			v := int32(src[i]) - 128
			if v == -128 {
				v = InvalidSample
			}
			dst[i] = v
		}
	case Format16:
		decode16(dst, src)
	case Format61:
		src = src[:2*n]
		for i := range dst {
			v := int32(int16(binary.BigEndian.Uint16(src[2*i:])))
			if v == -1<<15 {
				v = InvalidSample
			}
			dst[i] = v
		}
	case Format160:
		src = src[:2*n]
		for i := range dst {
			v := int32(binary.LittleEndian.Uint16(src[2*i:])) - 1<<15
			if v == -1<<15 {
				v = InvalidSample
			}
			dst[i] = v
		}
	case Format24:
		src = src[:3*n]
		for i := range dst {
			b := src[3*i : 3*i+3]
			v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
			if v == -1<<23 {
				v = InvalidSample
			}
			dst[i] = v
		}
	case Format32:
		src = src[:4*n]
		for i := range dst {
			dst[i] = int32(binary.LittleEndian.Uint32(src[4*i:]))
		}
	case Format212:
		decode212(dst, src)
	case Format310:
		decode310(dst, src)
	case Format311:
		decode311(dst, src)
	default:
		return 0
	}
	return n
}

// decode16 decodes len(dst) little-endian 16-bit samples.
func decode16(dst []int32, src []byte) {
	src = src[:2*len(dst)]
	for i := range dst {
		v := int32(int16(uint16(src[2*i]) | uint16(src[2*i+1])<<8))
		if v == -1<<15 {
			v = InvalidSample
		}
		dst[i] = v
	}
}

// decode212 decodes len(dst) format-212 samples: byte 0 holds the low 8
// bits of the first sample, byte 1 the high 4 bits of the first (low
// nibble) and of the second (high nibble), byte 2 the low 8 bits of the
// second.
func decode212(dst []int32, src []byte) {
	pairs := len(dst) / 2
	s := src[:3*pairs]
	d := dst[:2*pairs]
	tab := &table12
	i := 0
	// Four pairs (12 bytes) per step from two overlapping 8-byte loads
	// while 14 bytes remain, then two pairs from one load while 8 remain.
	for ; 3*i+14 <= len(s) && i+4 <= pairs; i += 4 {
		b := s[3*i : 3*i+14 : 3*i+14]
		w := binary.LittleEndian.Uint64(b[0:8])
		v := binary.LittleEndian.Uint64(b[6:14])
		o := d[2*i : 2*i+8 : 2*i+8]
		o[0], o[1] = unpack212(w, tab)
		o[2], o[3] = unpack212(w>>24, tab)
		o[4], o[5] = unpack212(v, tab)
		o[6], o[7] = unpack212(v>>24, tab)
	}
	for ; 3*i+8 <= len(s) && i+2 <= pairs; i += 2 {
		w := binary.LittleEndian.Uint64(s[3*i : 3*i+8])
		o := d[2*i : 2*i+4 : 2*i+4]
		o[0], o[1] = unpack212(w, tab)
		o[2], o[3] = unpack212(w>>24, tab)
	}
	for ; i < pairs; i++ {
		o := d[2*i : 2*i+2 : 2*i+2]
		o[0], o[1] = unpack212(bytes3(s[3*i:3*i+3]), tab)
	}
	if len(dst)%2 == 1 {
		b := src[3*pairs : 3*pairs+2]
		dst[len(dst)-1] = tab[(uint32(b[0])|uint32(b[1])<<8)&0xfff]
	}
}

// decode212Pairs decodes len(a) pairs of format-212 samples, as
// decode212 does, the first of each pair into a and the second into b
// (len(b) >= len(a), len(src) >= 3*len(a)): two signals of one sample per
// frame, de-interleaved as they are decoded.
func decode212Pairs(a, b []int32, src []byte) {
	pairs := len(a)
	s := src[:3*pairs]
	b = b[:pairs]
	tab := &table12
	i := 0
	// Four pairs (12 bytes) per step from two overlapping 8-byte loads
	// while 14 bytes remain, then one pair at a time.
	for ; 3*i+14 <= len(s) && i+4 <= pairs; i += 4 {
		w := binary.LittleEndian.Uint64(s[3*i : 3*i+8])
		v := binary.LittleEndian.Uint64(s[3*i+6 : 3*i+14])
		oa := a[i : i+4 : i+4]
		ob := b[i : i+4 : i+4]
		oa[0], ob[0] = unpack212(w, tab)
		oa[1], ob[1] = unpack212(w>>24, tab)
		oa[2], ob[2] = unpack212(v, tab)
		oa[3], ob[3] = unpack212(v>>24, tab)
	}
	for ; i < pairs; i++ {
		a[i], b[i] = unpack212(bytes3(s[3*i:3*i+3]), tab)
	}
}

// unpack212 returns the two samples of the format-212 pair in the low 3
// bytes of w (little-endian), by tab.
func unpack212(w uint64, tab *[4096]int32) (int32, int32) {
	return tab[w&0xfff], tab[(w>>16&0xff|w>>4&0xf00)&0xfff]
}

// bytes3 returns the 3 bytes of p as a little-endian number.
func bytes3(p []byte) uint64 {
	p = p[:3]
	return uint64(p[0]) | uint64(p[1])<<8 | uint64(p[2])<<16
}

// table12 maps a 12-bit two's complement code to its value, the sentinel
// -2048 to InvalidSample.
var table12 = func() (t [4096]int32) {
	for i := range t {
		t[i] = int32(uint32(i)<<20) >> 20
	}
	t[0x800] = InvalidSample
	return t
}()

// decode310 decodes len(dst) format-310 samples: two little-endian 16-bit
// words w0, w1 hold s0 in bits 1-10 of w0, s1 in bits 1-10 of w1, and s2
// with its low 5 bits in bits 11-15 of w0 and its high 5 bits in bits 11-15
// of w1.
func decode310(dst []int32, src []byte) {
	groups := len(dst) / 3
	for i := 0; i < groups; i++ {
		b := src[4*i : 4*i+4 : 4*i+4]
		w0 := uint32(b[0]) | uint32(b[1])<<8
		w1 := uint32(b[2]) | uint32(b[3])<<8
		o := dst[3*i : 3*i+3 : 3*i+3]
		o[0] = sx10((w0 >> 1) & 0x3ff)
		o[1] = sx10((w1 >> 1) & 0x3ff)
		o[2] = sx10(w0>>11 | (w1&0xf800)>>6)
	}
	rest := dst[3*groups:]
	if len(rest) > 0 {
		b := src[4*groups:]
		w0 := uint32(b[0]) | uint32(b[1])<<8
		rest[0] = sx10((w0 >> 1) & 0x3ff)
		if len(rest) > 1 {
			w1 := uint32(b[2]) | uint32(b[3])<<8
			rest[1] = sx10((w1 >> 1) & 0x3ff)
		}
	}
}

// decode311 decodes len(dst) format-311 samples: a little-endian 32-bit
// word holds s0 in bits 0-9, s1 in bits 10-19 and s2 in bits 20-29.
func decode311(dst []int32, src []byte) {
	groups := len(dst) / 3
	for i := 0; i < groups; i++ {
		w := binary.LittleEndian.Uint32(src[4*i:])
		o := dst[3*i : 3*i+3 : 3*i+3]
		o[0] = sx10(w & 0x3ff)
		o[1] = sx10((w >> 10) & 0x3ff)
		o[2] = sx10((w >> 20) & 0x3ff)
	}
	rest := dst[3*groups:]
	if len(rest) > 0 {
		b := src[4*groups:]
		w := uint32(b[0]) | uint32(b[1])<<8
		if len(rest) > 1 {
			w |= uint32(b[2]) << 16
		}
		rest[0] = sx10(w & 0x3ff)
		if len(rest) > 1 {
			rest[1] = sx10((w >> 10) & 0x3ff)
		}
	}
}

// sx10 sign-extends a 10-bit value, mapping the sentinel to InvalidSample.
func sx10(v uint32) int32 {
	s := int32(v<<22) >> 22
	if s == -512 {
		return InvalidSample
	}
	return s
}

// EncodeSamples appends the encoding of a flat sample stream in format f to
// dst and returns it. InvalidSample is written as the format's sentinel;
// other values are first clamped to the format's range (WFDB's writers
// would wrap them around instead). The last partial group of 212, 310 and
// 311 is padded as WFDB pads it. Format 8 takes differences, clamped to
// [-128, 127] (WriteRecord computes them); FLAC formats are written by
// EncodeFLAC.
func EncodeSamples(f Format, dst []byte, src []int32) []byte {
	lo, hi := f.Range()
	sent := f.sentinel()
	val := func(v int32) int32 {
		if v == InvalidSample {
			return sent
		}
		return min(max(v, lo), hi)
	}
	switch f {
	case Format8:
		for _, v := range src {
			dst = append(dst, byte(int8(min(max(v, -128), 127))))
		}
	case Format80:
		for _, v := range src {
			dst = append(dst, byte(val(v)+128))
		}
	case Format16:
		for _, v := range src {
			dst = binary.LittleEndian.AppendUint16(dst, uint16(val(v)))
		}
	case Format61:
		for _, v := range src {
			dst = binary.BigEndian.AppendUint16(dst, uint16(val(v)))
		}
	case Format160:
		for _, v := range src {
			dst = binary.LittleEndian.AppendUint16(dst, uint16(val(v)+1<<15))
		}
	case Format24:
		for _, v := range src {
			u := uint32(val(v))
			dst = append(dst, byte(u), byte(u>>8), byte(u>>16))
		}
	case Format32:
		for _, v := range src {
			dst = binary.LittleEndian.AppendUint32(dst, uint32(val(v)))
		}
	case Format212:
		i := 0
		for ; i+1 < len(src); i += 2 {
			a, b := uint32(val(src[i])), uint32(val(src[i+1]))
			dst = append(dst, byte(a), byte((a>>8)&0xf|(b>>4)&0xf0), byte(b))
		}
		if i < len(src) {
			a := uint32(val(src[i]))
			dst = append(dst, byte(a), byte((a>>8)&0xf))
		}
	case Format310:
		i := 0
		for ; i+2 < len(src); i += 3 {
			a, b, c := uint32(val(src[i])), uint32(val(src[i+1])), uint32(val(src[i+2]))
			w0 := (a<<1)&0x7fe | (c<<11)&0xf800
			w1 := (b<<1)&0x7fe | (c<<6)&0xf800
			dst = binary.LittleEndian.AppendUint16(dst, uint16(w0))
			dst = binary.LittleEndian.AppendUint16(dst, uint16(w1))
		}
		switch len(src) - i {
		case 1:
			dst = binary.LittleEndian.AppendUint16(dst, uint16((uint32(val(src[i]))<<1)&0x7fe))
		case 2:
			dst = binary.LittleEndian.AppendUint16(dst, uint16((uint32(val(src[i]))<<1)&0x7fe))
			dst = binary.LittleEndian.AppendUint16(dst, uint16((uint32(val(src[i+1]))<<1)&0x7fe))
		}
	case Format311:
		i := 0
		for ; i+2 < len(src); i += 3 {
			a, b, c := uint32(val(src[i])), uint32(val(src[i+1])), uint32(val(src[i+2]))
			dst = binary.LittleEndian.AppendUint32(dst, a&0x3ff|(b&0x3ff)<<10|(c&0x3ff)<<20)
		}
		switch len(src) - i {
		case 1:
			dst = binary.LittleEndian.AppendUint16(dst, uint16(uint32(val(src[i]))&0x3ff))
		case 2:
			a, b := uint32(val(src[i])), uint32(val(src[i+1]))
			dst = binary.LittleEndian.AppendUint32(dst, a&0x3ff|(b&0x3ff)<<10)
		}
	}
	return dst
}
