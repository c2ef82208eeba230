package nn

import "math"

// Softmax writes the softmax of logits into dst (same length).
func Softmax(dst, logits []float64) {
	m := math.Inf(-1)
	for _, v := range logits {
		m = max(m, v)
	}
	s := 0.0
	for i, v := range logits {
		dst[i] = math.Exp(v - m)
		s += dst[i]
	}
	for i := range dst {
		dst[i] /= s
	}
}

// CrossEntropy returns the weighted softmax cross-entropy of logits for
// class y, -weight * log softmax(logits)[y], writes the probabilities
// into probs and the gradient with respect to the logits,
// weight * (probs - onehot(y)), into dlogits (when not nil).
func CrossEntropy(logits []float64, y int, weight float64, probs, dlogits []float64) float64 {
	Softmax(probs, logits)
	if dlogits != nil {
		for i, p := range probs {
			dlogits[i] = weight * p
		}
		dlogits[y] -= weight
	}
	return -weight * math.Log(max(probs[y], 1e-300))
}
