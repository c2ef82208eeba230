package synth_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/ecgkit/ecg/datasets/synth"
)

// A minute of atrial fibrillation at 100 Hz: the beats are annotated, and
// the rhythm note is MIT-BIH's.
func ExampleGenerate() {
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, HR: 90, Fs: 100, Duration: 60, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(rec.MV), "samples")
	fmt.Println("rhythm", rec.Rhythms[0].Aux, "at sample", rec.Rhythms[0].Sample)
	fmt.Println("first beat", rec.Beats[0].Type.Symbol())
	// Output:
	// 6000 samples
	// rhythm (AFIB at sample 0
	// first beat N
}

// Samples as text, the way ecg stream reads them from a pipe.
func ExampleGenerator_WriteText() {
	g, err := synth.NewGenerator(synth.Options{Rhythm: "normal", Fs: 250, Duration: 0.02, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	if err := g.WriteText(context.Background(), &buf, synth.TextOptions{CSV: true}); err != nil {
		fmt.Println(err)
	}
	fmt.Println(strings.Count(buf.String(), "\n"), "lines")
	fmt.Println(strings.SplitN(buf.String(), "\n", 2)[0])
	// Output:
	// 6 lines
	// time,ecg
}
