package tune_test

import (
	"fmt"

	"github.com/ecgkit/ecg/classify/tune"
)

// A space from --param arguments and from a YAML space file: each
// parameter is an integer, continuous or categorical range.
func ExampleParseSpaceFile() {
	p, err := tune.ParseParam("trees=50:800:log")
	if err != nil {
		panic(err)
	}
	fmt.Println(p, p.Format(233.7))
	s, err := tune.ParseSpaceFile("space.yaml", []byte("rounds: 50:300:log\nclass-weight: [balanced, none]\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(s)
	_, err = tune.ParseParam("rounds=300:50")
	fmt.Println(err)
	// Output:
	// trees=50:800:log 234
	// rounds=50:300:log class-weight=balanced|none
	// rounds="300:50": empty or inverted range (want MIN < MAX)
}
