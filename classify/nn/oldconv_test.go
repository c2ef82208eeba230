package nn

// The convolutions and the ReLU as they were before the kernels
// (kernels.go): the reference whose bits the layers must keep
// (TestConvSameBitsAsBefore, TestPoolSameBitsAsBefore),
// so that stored models predict and `make model` trains exactly as
// before. Frozen: do not edit.

// Forward convolves: out[o][x] = bias[o] + sum over c and k of
// w[o,c,k] * in[c][x*Stride + k - K/2] (0 outside the signal).
func (l *Conv1D) oldForward(p, in, out []float64) {
	W, oW, s := l.in.W, l.Out().W, l.Stride
	w, b := p[:l.nW], p[l.nW:]
	for o := 0; o < l.OutC; o++ {
		dst := out[o*oW : (o+1)*oW]
		for i := range dst {
			dst[i] = b[o]
		}
		for c := 0; c < l.in.C; c++ {
			src := in[c*W : (c+1)*W]
			for k := 0; k < l.K; k++ {
				wv := w[(o*l.in.C+c)*l.K+k]
				x0, x1, shift := l.valid(k, oW)
				if x0 >= x1 {
					continue
				}
				d := dst[x0:x1]
				if s == 1 {
					sv := src[x0+shift : x1+shift]
					for i := range d {
						d[i] += wv * sv[i]
					}
					continue
				}
				j := x0*s + shift
				for i := range d {
					d[i] += wv * src[j]
					j += s
				}
			}
		}
	}
}

// Backward adds the weight and bias gradients to g and writes the input
// gradient to din.
func (l *Conv1D) oldBackward(p, in, _, dout, din, g []float64) {
	W, oW := l.in.W, l.Out().W
	w := p[:l.nW]
	gw, gb := g[:l.nW], g[l.nW:]
	clear(din)
	for o := 0; o < l.OutC; o++ {
		dd := dout[o*oW : (o+1)*oW]
		s := 0.0
		for _, v := range dd {
			s += v
		}
		gb[o] += s
		for c := 0; c < l.in.C; c++ {
			src := in[c*W : (c+1)*W]
			var dsrc []float64
			if din != nil {
				dsrc = din[c*W : (c+1)*W]
			}
			for k := 0; k < l.K; k++ {
				wi := (o*l.in.C+c)*l.K + k
				x0, x1, shift := l.valid(k, oW)
				if x0 >= x1 {
					continue
				}
				gw[wi] += l.oldTapBackward(dd[x0:x1], src, dsrc, w[wi], x0*l.Stride+shift)
			}
		}
	}
}

// oldTapBackward is the backward pass of one tap over the output gradient
// d (of consecutive output samples whose first input sample is j0): it
// returns the sum of d times the input and adds wv times d to the input
// gradient dsrc (when not nil).
func (l *Conv1D) oldTapBackward(d, src, dsrc []float64, wv float64, j0 int) float64 {
	s := l.Stride
	if s == 1 {
		sv := src[j0 : j0+len(d)]
		var a0, a1, a2, a3 float64
		i := 0
		for ; i+4 <= len(d); i += 4 {
			a0 += d[i] * sv[i]
			a1 += d[i+1] * sv[i+1]
			a2 += d[i+2] * sv[i+2]
			a3 += d[i+3] * sv[i+3]
		}
		for ; i < len(d); i++ {
			a0 += d[i] * sv[i]
		}
		if dsrc != nil {
			ds := dsrc[j0 : j0+len(d)]
			for i, v := range d {
				ds[i] += wv * v
			}
		}
		return (a0 + a1) + (a2 + a3)
	}
	a, j := 0.0, j0
	for _, v := range d {
		a += v * src[j]
		if dsrc != nil {
			dsrc[j] += wv * v
		}
		j += s
	}
	return a
}

// Forward convolves: out[o] = bias[o] + sum over c, ky, kx of
// w[o,c,ky,kx] * in[c] shifted by (ky-K/2, kx-K/2).
func (l *Conv2D) oldForward(p, in, out []float64) {
	W := l.in.W
	w, b := p[:l.nW], p[l.nW:]
	var ts []tap
	for o := 0; o < l.OutC; o++ {
		dst := out[o*l.planes : (o+1)*l.planes]
		for i := range dst {
			dst[i] = b[o]
		}
		for c := 0; c < l.in.C; c++ {
			src := in[c*l.planes : (c+1)*l.planes]
			ts = l.taps(ts, o, c)
			for _, t := range ts {
				wv := w[t.wi]
				for y := t.y0; y < t.y1; y++ {
					d := dst[y*W+t.x0 : y*W+t.x1]
					s := src[y*W+t.x0+t.shift:]
					s = s[:len(d)]
					for i := range d {
						d[i] += wv * s[i]
					}
				}
			}
		}
	}
}

// Backward adds the weight and bias gradients to g and writes the input
// gradient to din.
func (l *Conv2D) oldBackward(p, in, out, dout, din, g []float64) {
	w := p[:l.nW]
	gw, gb := g[:l.nW], g[l.nW:]
	clear(din)
	var ts []tap
	for o := 0; o < l.OutC; o++ {
		dd := dout[o*l.planes : (o+1)*l.planes]
		s := 0.0
		for _, v := range dd {
			s += v
		}
		gb[o] += s
		for c := 0; c < l.in.C; c++ {
			src := in[c*l.planes : (c+1)*l.planes]
			var dsrc []float64
			if din != nil {
				dsrc = din[c*l.planes : (c+1)*l.planes]
			}
			ts = l.taps(ts, o, c)
			for _, t := range ts {
				gw[t.wi] += oldConvTap(dd, src, dsrc, w[t.wi], l.in.W, t)
			}
		}
	}
}

// oldConvTap is the backward pass of one filter tap: it returns the sum of
// dout times the shifted input over the valid rows and columns, and adds
// wv times dout to the shifted input gradient dsrc (when not nil).
func oldConvTap(dd, src, dsrc []float64, wv float64, W int, t tap) float64 {
	y0, y1, x0, x1, shift := t.y0, t.y1, t.x0, t.x1, t.shift
	var a0, a1, a2, a3 float64 // four sums, to overlap the additions
	for y := y0; y < y1; y++ {
		d := dd[y*W+x0 : y*W+x1]
		s := src[y*W+x0+shift:]
		s = s[:len(d)]
		if dsrc == nil {
			i := 0
			for ; i+4 <= len(d); i += 4 {
				a0 += d[i] * s[i]
				a1 += d[i+1] * s[i+1]
				a2 += d[i+2] * s[i+2]
				a3 += d[i+3] * s[i+3]
			}
			for ; i < len(d); i++ {
				a0 += d[i] * s[i]
			}
			continue
		}
		ds := dsrc[y*W+x0+shift:]
		ds = ds[:len(d)]
		i := 0
		for ; i+4 <= len(d); i += 4 {
			v0, v1, v2, v3 := d[i], d[i+1], d[i+2], d[i+3]
			a0 += v0 * s[i]
			a1 += v1 * s[i+1]
			a2 += v2 * s[i+2]
			a3 += v3 * s[i+3]
			ds[i] += wv * v0
			ds[i+1] += wv * v1
			ds[i+2] += wv * v2
			ds[i+3] += wv * v3
		}
		for ; i < len(d); i++ {
			a0 += d[i] * s[i]
			ds[i] += wv * d[i]
		}
	}
	return (a0 + a1) + (a2 + a3)
}

// oldForward writes max(0, in) to out.
func (l *ReLU) oldForward(_, in, out []float64) {
	out = out[:len(in)]
	for i, v := range in {
		out[i] = max(v, 0)
	}
}

// Backward passes dout where the output is positive (the gradient at 0
// is taken as 0).
func (l *ReLU) oldBackward(_, _, out, dout, din, _ []float64) {
	if din == nil {
		return
	}
	din = din[:len(out)]
	for i, v := range out {
		if v > 0 {
			din[i] = dout[i]
		} else {
			din[i] = 0
		}
	}
}
