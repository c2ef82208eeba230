package figure_test

import (
	"fmt"
	"io"

	"github.com/ecgkit/ecg/spectro/figure"
)

// A stretch of record 100 (the excerpt in the repository) read with its
// reference annotations and drawn on ECG paper.
func ExampleDrawPaper() {
	p, err := figure.ReadPaper("../../internal/demodata/mitdb/100", figure.ReadOptions{From: "1:00", Duration: "20"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title)
	for _, t := range p.Traces {
		fmt.Println(t.Name, t.Units, len(t.X))
	}
	fmt.Println(p.Lanes[0].Name)
	err = figure.DrawPaper(io.Discard, p, figure.PaperOptions{Row: 10, DPI: 50})
	fmt.Println(err)
	// Output:
	// 100   1:00-1:20
	// MLII mV 7200
	// V5 mV 7200
	// atr
	// <nil>
}

func ExampleFormatOf() {
	f, _ := figure.FormatOf("strip.SVG")
	fmt.Println(f)
	_, err := figure.FormatOf("strip.gif")
	fmt.Println(err)
	// Output:
	// svg
	// strip.gif: want a .png, .svg or .pdf file
}
