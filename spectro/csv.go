package spectro

import (
	"io"
	"strconv"
)

// WriteCSV writes s as a CSV matrix: the first row "freq_hz\time_s" then
// the segment times in seconds, each next row a frequency in Hz then its
// values (Power's unit), numbers in Go's shortest exact form.
func (s *Spectrogram) WriteCSV(w io.Writer) error {
	var b []byte
	b = append(b, "freq_hz\\time_s"...)
	for _, t := range s.Times {
		b = append(b, ',')
		b = strconv.AppendFloat(b, t, 'g', -1, 64)
	}
	b = append(b, '\n')
	for i, f := range s.Freqs {
		b = strconv.AppendFloat(b, f, 'g', -1, 64)
		for _, v := range s.Power[i] {
			b = append(b, ',')
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}
