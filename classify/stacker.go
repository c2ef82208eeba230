package classify

import (
	"errors"
	"fmt"
	"math"
)

// Stacker combines the class probabilities of several models (its
// members) into one by multinomial logistic regression on their
// logarithms (stacking, Wolpert 1992): the score of class c is the
// softmax over c of
//
//	B[c] + sum over members m and classes j of W[c][m*Classes+j] * log(max(p_m[j], StackFloor))
//
// Fitted on out-of-fold probabilities (each row's from members that did
// not see it), it learns how far to trust each member for each class,
// which a single averaging weight cannot.
type Stacker struct {
	// Members and Classes are the number of models and of classes.
	Members int `json:"members"`
	Classes int `json:"classes"`
	// W has one row per class of Members*Classes weights; B the biases.
	W [][]float64 `json:"w"`
	B []float64   `json:"b"`
	// Lambda is the L2 penalty it was fitted with (per row).
	Lambda float64 `json:"lambda"`
}

// StackFloor is the smallest probability a Stacker takes the logarithm
// of.
const StackFloor = 1e-6

// DefaultStackLambda is the L2 penalty of FitStacker's weights per
// training row.
const DefaultStackLambda = 0.01

// Bounds of a Stacker (Check).
const (
	maxStackMembers = 8
	maxStackWeight  = 1e6
)

// errStackRows is the error of fitting a Stacker to nothing.
var errStackRows = errors.New("classify: stacking needs at least one row of every member's probabilities")

// FitStacker fits a Stacker to the probabilities P[m][i] of member m for
// row i (each of k classes) and the rows' classes y, with L2 penalty
// lambda per row on the weights (not the biases). It is deterministic:
// Newton's method from zero weights (the loss is convex and has few
// parameters: Members*k+1 per class).
func FitStacker(P [][][]float64, y []int, k int, lambda float64) (*Stacker, error) {
	if len(P) == 0 || len(P) > maxStackMembers || len(y) == 0 || k < 2 {
		return nil, errStackRows
	}
	for _, pm := range P {
		if len(pm) != len(y) {
			return nil, fmt.Errorf("classify: stacking: %d rows of probabilities for %d classes", len(pm), len(y))
		}
	}
	s := &Stacker{Members: len(P), Classes: k, Lambda: lambda}
	d := s.Members * k
	X := make([][]float64, len(y))
	for i := range y {
		if y[i] < 0 || y[i] >= k {
			return nil, fmt.Errorf("classify: stacking: class %d of row %d (want 0 to %d)", y[i], i, k-1)
		}
		X[i] = s.inputs(nil, func(m int) []float64 { return P[m][i] })
	}
	w, err := minimizeNewton(func(grad []float64, hess [][]float64, w []float64) float64 {
		return stackLoss(grad, hess, w, X, y, k, d, lambda)
	}, k*(d+1))
	if err != nil {
		return nil, err
	}
	s.W, s.B = make([][]float64, k), make([]float64, k)
	for c := range k {
		s.W[c] = append([]float64(nil), w[c*(d+1):c*(d+1)+d]...)
		s.B[c] = w[c*(d+1)+d]
	}
	if err := s.Check(); err != nil {
		return nil, err
	}
	return s, nil
}

// stackLoss returns the mean cross-entropy of weights w (per class d
// weights then a bias) on rows X of classes y plus lambda times the sum
// of the squared weights, and writes its gradient into grad and its
// Hessian into hess when they are not nil.
func stackLoss(grad []float64, hess [][]float64, w []float64, X [][]float64, y []int, k, d int, lambda float64) float64 {
	if grad != nil {
		clear(grad)
	}
	for _, row := range hess {
		clear(row)
	}
	n := float64(len(X))
	z := make([]float64, k)
	xb := make([]float64, d+1) // the row with the bias's 1
	loss := 0.0
	for i, x := range X {
		copy(xb, x)
		xb[d] = 1
		for c := range k {
			wc := w[c*(d+1) : (c+1)*(d+1)]
			z[c] = 0
			for j, v := range xb {
				z[c] += wc[j] * v
			}
		}
		softmax(z)
		loss -= math.Log(math.Max(z[y[i]], 1e-300)) / n
		if grad != nil {
			for c := range k {
				e := z[c]
				if c == y[i] {
					e--
				}
				gc := grad[c*(d+1) : (c+1)*(d+1)]
				for j, v := range xb {
					gc[j] += e * v / n
				}
			}
		}
		stackHessRow(hess, z, xb, n)
	}
	for c := range k {
		for j := range d {
			v := w[c*(d+1)+j]
			loss += lambda * v * v
			if grad != nil {
				grad[c*(d+1)+j] += 2 * lambda * v
			}
			if hess != nil {
				hess[c*(d+1)+j][c*(d+1)+j] += 2 * lambda
			}
		}
	}
	return loss
}

// stackHessRow adds one row's part of the cross-entropy's Hessian to
// hess (nil: nothing): p_c (delta_cc' - p_c') x_j x_j' / n for the
// weights (c, j) and (c', j') of probabilities p and inputs x.
func stackHessRow(hess [][]float64, p, x []float64, n float64) {
	if hess == nil {
		return
	}
	m := len(x)
	for c, pc := range p {
		for c2, pc2 := range p {
			a := -pc * pc2
			if c == c2 {
				a += pc
			}
			a /= n
			for j, xj := range x {
				row := hess[c*m+j][c2*m : (c2+1)*m]
				for j2, xj2 := range x {
					row[j2] += a * xj * xj2
				}
			}
		}
	}
}

// minimizeNewton minimises the smooth convex function f of n parameters
// (f writes its gradient and Hessian when asked) by Newton's method from
// zero, each step halved until the value falls enough (Armijo), a small
// ridge added to the Hessian (which the softmax leaves singular along
// the biases). It stops when the gradient or the step vanishes, after
// at most 100 steps.
func minimizeNewton(f func(grad []float64, hess [][]float64, w []float64) float64, n int) ([]float64, error) {
	w, grad, step, trial := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	hess := make([][]float64, n)
	for i := range hess {
		hess[i] = make([]float64, n)
	}
	for range 100 {
		val := f(grad, hess, w)
		if !(val < math.Inf(1)) {
			return nil, fmt.Errorf("classify: stacking: loss %v", val)
		}
		gmax := 0.0
		for i := range hess {
			hess[i][i] += 1e-9
			gmax = math.Max(gmax, math.Abs(grad[i]))
		}
		if gmax < 1e-12 {
			break
		}
		if !choleskySolve(hess, grad, step) {
			return nil, errors.New("classify: stacking: the Hessian is not positive definite")
		}
		slope := 0.0
		for i := range step {
			slope += step[i] * grad[i]
		}
		t, moved := 1.0, false
		for range 40 {
			for i := range w {
				trial[i] = w[i] - t*step[i]
			}
			if f(nil, nil, trial) <= val-1e-4*t*slope {
				copy(w, trial)
				moved = true
				break
			}
			t /= 2
		}
		if !moved {
			break
		}
	}
	return w, nil
}

// choleskySolve solves a x = b for the symmetric positive definite a
// (overwritten by its Cholesky factor) and reports whether a was
// positive definite.
func choleskySolve(a [][]float64, b, x []float64) bool {
	n := len(a)
	for j := range n {
		s := a[j][j]
		for k := range j {
			s -= a[j][k] * a[j][k]
		}
		if !(s > 0) {
			return false
		}
		a[j][j] = math.Sqrt(s)
		for i := j + 1; i < n; i++ {
			s := a[i][j]
			for k := range j {
				s -= a[i][k] * a[j][k]
			}
			a[i][j] = s / a[j][j]
		}
	}
	for i := range n { // L y = b
		s := b[i]
		for k := range i {
			s -= a[i][k] * x[k]
		}
		x[i] = s / a[i][i]
	}
	for i := n - 1; i >= 0; i-- { // L^T x = y
		s := x[i]
		for k := i + 1; k < n; k++ {
			s -= a[k][i] * x[k]
		}
		x[i] = s / a[i][i]
	}
	return true
}

// inputs appends the logarithms of the members' probabilities (member m's
// from p(m)) to dst.
func (s *Stacker) inputs(dst []float64, p func(m int) []float64) []float64 {
	for m := range s.Members {
		pm := p(m)
		for j := range s.Classes {
			dst = append(dst, math.Log(math.Max(pm[j], StackFloor)))
		}
	}
	return dst
}

// Probs writes the stacked probabilities of the members' probabilities
// p (one slice of Classes values per member) into dst (allocated when
// nil or short) and returns it.
func (s *Stacker) Probs(dst []float64, p ...[]float64) []float64 {
	var buf [maxStackMembers * 16]float64
	x := s.inputs(buf[:0], func(m int) []float64 { return p[m] })
	if cap(dst) < s.Classes {
		dst = make([]float64, s.Classes)
	}
	dst = dst[:s.Classes]
	for c := range s.Classes {
		dst[c] = s.B[c]
		for j, v := range x {
			dst[c] += s.W[c][j] * v
		}
	}
	softmax(dst)
	return dst
}

// Check reports whether s is well formed: 1 to 8 members, 2 or more
// classes, a row of Members*Classes finite weights of at most 1e6 in
// size for every class and as many biases, a finite non-negative lambda.
func (s *Stacker) Check() error {
	switch {
	case s.Members < 1 || s.Members > maxStackMembers:
		return fmt.Errorf("stacker of %d members (want 1 to %d)", s.Members, maxStackMembers)
	case s.Classes < 2 || s.Classes > maxLabels:
		return fmt.Errorf("stacker of %d classes (want 2 to %d)", s.Classes, maxLabels)
	case len(s.W) != s.Classes || len(s.B) != s.Classes:
		return fmt.Errorf("stacker of %d classes with %d weight rows and %d biases", s.Classes, len(s.W), len(s.B))
	case !(s.Lambda >= 0 && s.Lambda <= maxStackWeight):
		return fmt.Errorf("stacker lambda %v", s.Lambda)
	}
	for c, row := range s.W {
		if len(row) != s.Members*s.Classes {
			return fmt.Errorf("stacker class %d: %d weights (want %d)", c, len(row), s.Members*s.Classes)
		}
		for _, v := range append(row[:len(row):len(row)], s.B[c]) {
			if !(math.Abs(v) <= maxStackWeight) {
				return fmt.Errorf("stacker class %d: weight %v", c, v)
			}
		}
	}
	return nil
}
