package nn

import (
	"math"
	"math/rand/v2"
	"sync"
)

// MaxRecurrent bounds the hidden units of each direction of a recurrent
// layer (Arch.Recurrent).
const MaxRecurrent = 256

// GRU is a bidirectional layer of gated recurrent units (Cho et al. 2014,
// "Learning phrase representations using RNN encoder-decoder") over the
// time axis of a 1-D network's feature maps: In is C channels of 1 x T
// samples, the sequence x_1 ... x_T of C values each. One pass reads it
// forwards, another backwards, each with H hidden units from a zero
// state:
//
//	z_t = sigmoid(Wz x_t + Uz h_{t-1} + bz)          update gate
//	r_t = sigmoid(Wr x_t + Ur h_{t-1} + br)          reset gate
//	n_t = tanh(Wn x_t + Un (r_t * h_{t-1}) + bn)     candidate
//	h_t = (1 - z_t) * n_t + z_t * h_{t-1}
//
// (h_{t+1} in place of h_{t-1} for the backward pass). The output, 2H x 1
// x 1, is the forward pass's hidden states averaged over the T steps, then
// the backward pass's. The parameters are the forward pass's W (3H rows
// of C values: the z, r then n rows), U (3H rows of H values) and b (3H),
// then the backward pass's alike.
//
// Backward runs the passes again rather than keeping their states (a
// layer keeps no state between calls); its scratch buffers come from a
// pool.
//
// With Avg, the output starts with each channel's average over time (the
// global average pooling), C + 2H values in all.
type GRU struct {
	in      Shape
	H       int
	Avg     bool
	scratch sync.Pool // *gruScratch
}

// NewGRU returns a bidirectional GRU of h hidden units a direction over
// the in.W steps of in (in.H 1); avg joins the channels' averages before
// its states'.
func NewGRU(in Shape, h int, avg bool) *GRU { return &GRU{in: in, H: h, Avg: avg} }

// avgValues is the number of averages before the states' means.
func (l *GRU) avgValues() int {
	if l.Avg {
		return l.in.C
	}
	return 0
}

// gruParams is the number of parameters of a bidirectional GRU of h
// hidden units a direction over c channels.
func gruParams(c, h int) int { return 2 * 3 * h * (c + h + 1) }

// gruScratch holds one call's intermediate values, time step t at t*n of
// a buffer of n values a step.
type gruScratch struct {
	x          []float64 // T x C: the input step by step
	gx         []float64 // T x 3H: W x_t + b
	z, r, n, h []float64 // T x H: gates, candidates and states of one pass
	u, rh, hz  []float64 // 3H, H, H: U products, r * h_{t-1}, zero state
	da         []float64 // T x 3H: gradients of the gates' arguments
	daT        []float64 // 3H x T: da transposed
	hpT, rhT   []float64 // H x T: h_{t-1} and r_t * h_{t-1}, transposed
	dh, dhp    []float64 // H, H: gradients of h_t and of h_{t-1}
	tmp        []float64 // max(C, 2H)
	wT, uT     []float64 // C x 3H, H x 3H: W and U transposed
}

// In is the input shape.
func (l *GRU) In() Shape { return l.in }

// Out is 2H x 1 x 1 (C + 2H with Avg).
func (l *GRU) Out() Shape { return Shape{l.avgValues() + 2*l.H, 1, 1} }

// NumParams counts both directions' weights and biases.
func (l *GRU) NumParams() int { return gruParams(l.in.C, l.H) }

// Init draws normal weights of variance 1/C (W) and 1/H (U) and zero
// biases, for each direction.
func (l *GRU) Init(p []float64, rng *rand.Rand) {
	C, H := l.in.C, l.H
	for d := 0; d < 2; d++ {
		w, u, b := l.split(l.dir(p, d))
		for i := range w {
			w[i] = rng.NormFloat64() / math.Sqrt(float64(C))
		}
		for i := range u {
			u[i] = rng.NormFloat64() / math.Sqrt(float64(H))
		}
		clear(b)
	}
}

// dir returns the parameters of direction d (0 forwards, 1 backwards).
func (l *GRU) dir(p []float64, d int) []float64 {
	n := l.NumParams() / 2
	return p[d*n : (d+1)*n]
}

// split returns W, U and b of one direction's parameters p.
func (l *GRU) split(p []float64) (w, u, b []float64) {
	G, C, H := 3*l.H, l.in.C, l.H
	return p[:G*C], p[G*C : G*(C+H)], p[G*(C+H) : G*(C+H+1)]
}

func (l *GRU) get() *gruScratch {
	if s, ok := l.scratch.Get().(*gruScratch); ok {
		return s
	}
	C, H, T := l.in.C, l.H, l.in.W
	G := 3 * H
	f := func(n int) []float64 { return make([]float64, n) }
	return &gruScratch{x: f(T * C), gx: f(T * G), z: f(T * H), r: f(T * H), n: f(T * H), h: f(T * H),
		u: f(G), rh: f(H), hz: f(H), da: f(T * G), daT: f(G * T), hpT: f(H * T), rhT: f(H * T),
		dh: f(H), dhp: f(H), tmp: f(max(C, 2*H)), wT: f(C * G), uT: f(H * G)}
}

// Forward runs both passes and writes their states' means over time.
func (l *GRU) Forward(p, in, out []float64) {
	s := l.get()
	defer l.scratch.Put(s)
	transpose(s.x, in, l.in.C, l.in.W)
	H, T := l.H, l.in.W
	if l.Avg {
		NewGlobalAvgPool(l.in).Forward(nil, in, out[:l.in.C])
		out = out[l.in.C:]
	}
	for d := 0; d < 2; d++ {
		l.run(l.dir(p, d), s, d == 1)
		mean := out[d*H : (d+1)*H]
		clear(mean)
		for t := 0; t < T; t++ {
			for j, v := range s.h[t*H : (t+1)*H] {
				mean[j] += v
			}
		}
		for j := range mean {
			mean[j] /= float64(T)
		}
	}
}

// steps returns the time of the k-th step of a pass over T steps and the
// time of the state before it (-1 or T: the zero state).
func steps(k, T int, back bool) (t, prev int) {
	if back {
		return T - 1 - k, T - k
	}
	return k, k - 1
}

// state returns h_t of the pass in s, the zero state when t is outside.
func (l *GRU) state(s *gruScratch, t int) []float64 {
	if t < 0 || t >= l.in.W {
		return s.hz
	}
	return s.h[t*l.H : (t+1)*l.H]
}

// run computes one pass (backwards when back) of the direction's
// parameters p over s.x into s.gx, s.z, s.r, s.n and s.h.
func (l *GRU) run(p []float64, s *gruScratch, back bool) {
	C, H, T := l.in.C, l.H, l.in.W
	G := 3 * H
	w, u, b := l.split(p)
	for t := 0; t < T; t++ {
		gx := s.gx[t*G : (t+1)*G]
		matVec(gx, w, 0, G, C, C, s.x, t*C)
		for i, v := range b {
			gx[i] += v
		}
	}
	for k := 0; k < T; k++ {
		t, prev := steps(k, T, back)
		hp, gx := l.state(s, prev), s.gx[t*G:(t+1)*G]
		z, r, n, h := s.z[t*H:(t+1)*H], s.r[t*H:(t+1)*H], s.n[t*H:(t+1)*H], s.h[t*H:(t+1)*H]
		matVec(s.u, u, 0, 2*H, H, H, hp, 0)
		for j := range z {
			z[j] = sigmoid(gx[j] + s.u[j])
			r[j] = sigmoid(gx[H+j] + s.u[H+j])
			s.rh[j] = float64(r[j] * hp[j])
		}
		matVec(s.u[2*H:], u, 2*H*H, H, H, H, s.rh, 0)
		for j := range n {
			n[j] = math.Tanh(gx[2*H+j] + s.u[2*H+j])
			h[j] = float64((1-z[j])*n[j]) + float64(z[j]*hp[j])
		}
	}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Backward runs each pass again, then back through time, adding the
// parameter gradients to g and (din not nil) writing the input's.
func (l *GRU) Backward(p, in, _, dout, din, g []float64) {
	s := l.get()
	defer l.scratch.Put(s)
	transpose(s.x, in, l.in.C, l.in.W)
	switch {
	case din != nil && l.Avg:
		NewGlobalAvgPool(l.in).Backward(nil, nil, nil, dout[:l.in.C], din, nil)
	case din != nil:
		clear(din[:l.in.Size()])
	}
	dout = dout[l.avgValues():]
	H := l.H
	for d := 0; d < 2; d++ {
		pd := l.dir(p, d)
		l.run(pd, s, d == 1)
		l.backThroughTime(pd, s, d == 1, dout[d*H:(d+1)*H])
		l.addGradients(pd, s, in, din, l.dir(g, d))
	}
}

// backThroughTime writes into s.da the gradients of the gates' arguments
// of the pass in s whose states' mean has the gradient dout, and the
// states h_{t-1} and r_t * h_{t-1} into s.hpT and s.rhT.
func (l *GRU) backThroughTime(p []float64, s *gruScratch, back bool, dout []float64) {
	H, T := l.H, l.in.W
	G := 3 * H
	_, u, _ := l.split(p)
	transpose(s.uT, u, G, H)
	clear(s.dh)
	inv := 1 / float64(T)
	for k := T - 1; k >= 0; k-- {
		t, prev := steps(k, T, back)
		hp, da := l.state(s, prev), s.da[t*G:(t+1)*G]
		z, r, n := s.z[t*H:(t+1)*H], s.r[t*H:(t+1)*H], s.n[t*H:(t+1)*H]
		for j := range z {
			dh := s.dh[j] + dout[j]*inv
			dn, dz := dh*(1-z[j]), dh*(hp[j]-n[j])
			s.dhp[j] = dh * z[j]
			da[j] = dz * z[j] * (1 - z[j])
			da[2*H+j] = dn * (1 - n[j]*n[j])
			s.hpT[j*T+t], s.rhT[j*T+t] = hp[j], float64(r[j]*hp[j])
		}
		matVec(s.tmp, s.uT, 2*H, H, H, G, da, 2*H) // Un^T da_n: the gradient of r * h_{t-1}
		for j := range r {
			drh := s.tmp[j]
			da[H+j] = drh * hp[j] * r[j] * (1 - r[j])
			s.dhp[j] += drh * r[j]
		}
		matVec(s.tmp, s.uT, 0, H, 2*H, G, da, 0) // Uz^T da_z + Ur^T da_r
		for j := range s.dh {
			s.dh[j] = s.dhp[j] + s.tmp[j]
		}
	}
}

// addGradients adds to g the gradients of one direction's W, U and b from
// s.da, and to din (when not nil) the input's.
func (l *GRU) addGradients(p []float64, s *gruScratch, in, din, g []float64) {
	C, H, T := l.in.C, l.H, l.in.W
	G := 3 * H
	gw, gu, gb := l.split(g)
	transpose(s.daT, s.da, T, G)
	for i := 0; i < G; i++ {
		row := s.daT[i*T : (i+1)*T]
		matVecAdd(gw[i*C:(i+1)*C], s.tmp, in, 0, C, T, T, row)
		states := s.hpT
		if i >= 2*H {
			states = s.rhT
		}
		matVecAdd(gu[i*H:(i+1)*H], s.tmp, states, 0, H, T, T, row)
		sum := 0.0
		for _, v := range row {
			sum += v
		}
		gb[i] += sum
	}
	if din == nil {
		return
	}
	w, _, _ := l.split(p)
	transpose(s.wT, w, G, C)
	for t := 0; t < T; t++ {
		matVec(s.tmp, s.wT, 0, C, G, G, s.da, t*G)
		for c, v := range s.tmp[:C] {
			din[c*T+t] += v
		}
	}
}

// transpose writes into dst (cols x rows) the matrix src of rows x cols
// values stored row by row.
func transpose(dst, src []float64, rows, cols int) {
	for i := 0; i < rows; i++ {
		for j, v := range src[i*cols : (i+1)*cols] {
			dst[j*rows+i] = v
		}
	}
}

// matVec writes into dst[i], i < rows, the dot product of the n values of
// m at m0 + i*stride with v[v0:v0+n] (dot's sums, the same bits with and
// without the assembly kernels).
func matVec(dst, m []float64, m0, rows, n, stride int, v []float64, v0 int) {
	var res [dotMax]float64
	for i := 0; i < rows; i += dotMax {
		nf := min(dotMax, rows-i)
		dot(res[:], m, m0+i*stride, v, v0, nf, dotArgs{n: n, rows: 1, rs: n, fs: stride})
		copy(dst[i:i+nf], res[:nf])
	}
}

// matVecAdd adds to dst[i], i < rows, the dot product of the n values of
// m at m0 + i*stride with v (n values), through tmp (rows values).
func matVecAdd(dst, tmp, m []float64, m0, rows, n, stride int, v []float64) {
	matVec(tmp, m, m0, rows, n, stride, v, 0)
	for i, x := range tmp[:rows] {
		dst[i] += x
	}
}

// checkRecurrent checks a.Recurrent: 0 (none) or 1 to MaxRecurrent
// hidden units, of a 1-D network with the average global pooling (which
// the GRU replaces).
func (a Arch) checkRecurrent() error {
	switch {
	case a.Recurrent == 0 && a.RecurrentAvg:
		return archErr("the averages of a recurrent layer without one")
	case a.Recurrent == 0:
		return nil
	case a.Recurrent < 0 || a.Recurrent > MaxRecurrent:
		return archErr("recurrent layer of %d units (1 to %d)", a.Recurrent, MaxRecurrent)
	case !a.OneD:
		return archErr("a recurrent layer needs a 1-D network")
	case a.GlobalPool != GlobalAvg:
		return archErr("a recurrent layer replaces the global pooling, not %q", a.GlobalPool)
	}
	return nil
}

// gruScratchValues is about the number of values a GRU of h units a
// direction over t steps of c channels keeps for one sample (0 without
// one).
func gruScratchValues(t, c, h int) int {
	if h <= 0 {
		return 0
	}
	return t*c + 11*t*h + 3*h*(c+h)
}
