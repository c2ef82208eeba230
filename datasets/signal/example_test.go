package signal_test

import (
	"fmt"

	"github.com/ecgkit/ecg/datasets/signal"
)

// Signals are picked the same way by every command: names in any case,
// indices, or "all".
func ExampleSelect() {
	names := []string{"MLII", "V5"}
	idx, _ := signal.Select(names, "v5,0")
	fmt.Println(idx)
	_, err := signal.Select(names, "V1")
	fmt.Println(err)
	// Output:
	// [1 0]
	// no signal "V1" (signals: 0=MLII, 1=V5)
}

// One millivolt at 200 ADC units per mV above a baseline of 1024.
func ExampleToDigital() {
	fmt.Println(signal.ToDigital(1, 200, 1024))
	// Output: 1224
}
