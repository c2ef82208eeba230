package wfdb_test

import (
	"bytes"
	"fmt"
	"os"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// Annotations round-trip through the MIT format, and print as rdann does.
func ExampleEncodeAnnotations() {
	anns := []wfdb.Annotation{
		{Sample: 18, Type: wfdb.Rhythm, Aux: "(N"},
		{Sample: 77, Type: wfdb.Normal},
		{Sample: 5000, Type: wfdb.PVC, Subtype: 1, Chan: 1},
	}
	var file bytes.Buffer
	if err := wfdb.EncodeAnnotations(&file, anns); err != nil {
		panic(err)
	}
	back, err := wfdb.DecodeAnnotations(&file)
	if err != nil {
		panic(err)
	}
	wfdb.WriteRdann(os.Stdout, back, 360)
	fmt.Println(back[2].Type.AAMI() == 'V', back[2].Type.Description())
	// Output:
	//     0:00.050       18     +    0    0    0	(N
	//     0:00.214       77     N    0    0    0
	//     0:13.889     5000     V    1    1    0
	// true Premature ventricular contraction
}

func ExampleParseTime() {
	for _, s := range []string{"50", "0.002", "1:30.5", "s12500"} {
		n, _ := wfdb.ParseTime(s, 360)
		fmt.Println(s, n, wfdb.FormatTime(n, 360))
	}
	// Output:
	// 50 18000     0:50.000
	// 0.002 1     0:00.003
	// 1:30.5 32580     1:30.500
	// s12500 12500     0:34.722
}
