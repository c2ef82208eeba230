package beats

// AddNoise exposes the stress test's noise generator to the external test
// package (beats_test), whose tests may import packages that import beats.
var AddNoise = addNoise
