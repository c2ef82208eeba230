package nn_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/ecgkit/ecg/classify/nn"
)

// A network learns whether a 6x6 image holds a vertical (class 0) or a
// horizontal (class 1) line, from 80 examples.
func ExampleNet_Fit() {
	rng := rand.New(rand.NewPCG(1, 2))
	line := func(label int) nn.Sample {
		x := make([]float64, 36)
		at := rng.IntN(6)
		for k := 0; k < 6; k++ {
			if label == 0 {
				x[k*6+at] = 1
			} else {
				x[at*6+k] = 1
			}
		}
		return nn.Sample{X: x, Label: label}
	}
	var train, test []nn.Sample
	for i := 0; i < 80; i++ {
		train = append(train, line(i%2))
	}
	for i := 0; i < 20; i++ {
		test = append(test, line(i%2))
	}
	a := nn.Arch{In: nn.Shape{C: 1, H: 6, W: 6}, Filters: []int{4}, Kernel: 3, Pool: 2, Classes: 2}
	net, err := nn.New(a, 1)
	if err != nil {
		panic(err)
	}
	if _, err := net.Fit(context.Background(), train, nil, nn.FitOptions{Epochs: 30, Batch: 8, LR: 0.02, Seed: 1, Jobs: 2}); err != nil {
		panic(err)
	}
	right := 0
	for _, s := range test {
		p := net.Probs(nil, s.X, nil)
		if (p[1] > p[0]) == (s.Label == 1) {
			right++
		}
	}
	fmt.Printf("%d parameters, %d of %d test images right\n", len(net.Params), right, len(test))
	// Output:
	// 50 parameters, 20 of 20 test images right
}
