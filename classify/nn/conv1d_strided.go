package nn

// A stride of more than 1: the forward pass runs the correlation kernels
// on a copy of the input laid out tap by tap (cols), the weight gradients
// keep one sum per weight, in output order, four filters at a time.

// stridedInterior is the range [xa, xb) of the outputs whose every tap
// lies inside the signal.
func (l *Conv1D) stridedInterior() (xa, xb int) {
	W, oW, s, pad := l.in.W, l.Out().W, l.Stride, l.K/2
	xa = min(oW, (pad+s-1)/s)
	if W-1-pad >= 0 {
		xb = min(oW, (W-1-pad)/s+1)
	}
	return xa, max(xa, xb)
}

// colsOf returns a buffer of C*K*oW values from l's pool, holding at
// (c*K + k)*oW + x the input in[c][x*Stride + k - K/2] for the outputs x
// of the interior (the other values are not set).
func (l *Conv1D) colsOf(in []float64) *[]float64 {
	W, oW, C, K, s, pad := l.in.W, l.Out().W, l.in.C, l.K, l.Stride, l.K/2
	buf, ok := l.cols.Get().(*[]float64)
	if !ok {
		b := make([]float64, C*K*oW)
		buf = &b
	}
	cols := *buf
	xa, xb := l.stridedInterior()
	for c := 0; c < C; c++ {
		for k := 0; k < K; k++ {
			row := cols[(c*K+k)*oW : (c*K+k+1)*oW]
			j := c*W + xa*s + k - pad
			for x := xa; x < xb; x++ {
				row[x] = in[j]
				j += s
			}
		}
	}
	return buf
}

// forwardStrided adds to out (the biases) the terms of every filter, a
// stride of more than 1, in Forward's order: the interior from cols, the
// outputs near the ends with the taps inside the signal.
func (l *Conv1D) forwardStrided(w, in, out []float64) {
	oW, C, K := l.Out().W, l.in.C, l.K
	buf := l.colsOf(in)
	defer l.cols.Put(buf)
	xa, xb := l.stridedInterior()
	for o := 0; o < l.OutC; o += 2 {
		d1, w1 := pairOf(o, l.OutC, oW, C*K)
		e1 := d1
		if d1 >= 0 {
			e1 += xa
		}
		corrPair(out, o*oW+xa, e1, *buf, xa, w, o*C*K, w1,
			corrArgs{n: xb - xa, na: C, ia: K * oW, wa: K, nb: 1, wb: K, nk: K, ik: oW})
		for x := 0; x < xa; x++ {
			l.stridedEdge(w, in, out, o, d1, w1, x)
		}
		for x := xb; x < oW; x++ {
			l.stridedEdge(w, in, out, o, d1, w1, x)
		}
	}
}

// stridedEdge adds to output x of filter o (and of the filter whose
// outputs start at d1 and weights at w1, when d1 >= 0) its taps inside the
// signal, in order.
func (l *Conv1D) stridedEdge(w, in, out []float64, o, d1, w1, x int) {
	W, oW, C, K, s, pad := l.in.W, l.Out().W, l.in.C, l.K, l.Stride, l.K/2
	k0, k1 := max(0, pad-x*s), min(K, W-x*s+pad)
	if d1 >= 0 {
		d1 += x
	}
	corrPair(out, o*oW+x, d1, in, x*s+k0-pad, w, o*C*K+k0, w1+k0,
		corrArgs{n: 1, na: C, ia: W, wa: K, nb: 1, wb: K, nk: k1 - k0, ik: 1})
}

// backwardStrided adds the weight gradients to gw and writes the input
// gradient to din (when not nil), a stride of more than 1: one sum per
// weight over its outputs in order, and the input gradient's terms in the
// order filter, tap.
func (l *Conv1D) backwardStrided(w, in, dout, din, gw []float64) {
	W, oW, C, K, s := l.in.W, l.Out().W, l.in.C, l.K, l.Stride
	for c := 0; c < C; c++ {
		src := in[c*W : (c+1)*W]
		for k := 0; k < K; k++ {
			x0, x1, shift := l.valid(k, oW)
			if x0 >= x1 {
				continue
			}
			o := 0
			for ; o+4 <= l.OutC; o += 4 {
				a := stridedSums4(dout[o*oW:], oW, src, x0, x1, x0*s+shift, s)
				for f, v := range a {
					gw[((o+f)*C+c)*K+k] += v
				}
			}
			for ; o < l.OutC; o++ {
				a, j := 0.0, x0*s+shift
				for _, v := range dout[o*oW+x0 : o*oW+x1] {
					a += float64(v * src[j])
					j += s
				}
				gw[(o*C+c)*K+k] += a
			}
		}
	}
	if din == nil {
		return
	}
	clear(din)
	for o := 0; o < l.OutC; o++ {
		for c := 0; c < C; c++ {
			for k := 0; k < K; k++ {
				x0, x1, shift := l.valid(k, oW)
				if x0 >= x1 {
					continue
				}
				wv, j := w[(o*C+c)*K+k], c*W+x0*s+shift
				for _, v := range dout[o*oW+x0 : o*oW+x1] {
					din[j] += float64(wv * v)
					j += s
				}
			}
		}
	}
}

// stridedSums4 returns the sums over x in [x0, x1), in order, of d[f*oW +
// x] * src[j0 + (x-x0)*s] for the four runs f of d: four independent
// sums (their additions overlap).
func stridedSums4(d []float64, oW int, src []float64, x0, x1, j0, s int) [4]float64 {
	d0, d1, d2, d3 := d[x0:x1], d[oW+x0:oW+x1], d[2*oW+x0:2*oW+x1], d[3*oW+x0:3*oW+x1]
	var a0, a1, a2, a3 float64
	j := j0
	for x := range d0 {
		v := src[j]
		a0 += float64(d0[x] * v)
		a1 += float64(d1[x] * v)
		a2 += float64(d2[x] * v)
		a3 += float64(d3[x] * v)
		j += s
	}
	return [4]float64{a0, a1, a2, a3}
}
