// Command sharedparams writes the parameter file (spectro-params.json) of
// a folder that joins ecg spectro archives: what their parameter files
// share, the rendering and the stride (datasets.SharedParams). It fails,
// naming the file and the field, when the archives were rendered
// otherwise. make model-image runs it on the CinC and MIT-BIH archives:
//
//	go run ./internal/sharedparams -out images/spectro-params.json \
//	    cinc/spectro-params.json mitdb/spectro-params.json
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/atomicfile"
	"github.com/ecgkit/ecg/spectro"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "sharedparams: %v\n", err)
		os.Exit(1)
	}
}

// run parses the arguments and writes the shared parameter file
// atomically.
func run(args []string, stderr io.Writer) error {
	fl := flag.NewFlagSet("sharedparams", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "", "the joined folder's parameter file to write")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *out == "" || fl.NArg() == 0 {
		return fmt.Errorf("usage: sharedparams -out FILE PARAMS.json...")
	}
	b, err := datasets.SharedParams(fl.Args(), spectro.ParamSTFT, spectro.ParamImage)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(*out, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
