package nn

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
)

// Arch describes a network: convolution blocks (a K x K convolution with
// Filters[i] filters, optionally a group normalisation, ReLU, then Pool x
// Pool pooling), global pooling
// (average unless GlobalPool says otherwise), the Extra values of the
// sample joined to the pooled values, an optional hidden dense layer
// with ReLU, and a dense layer to one logit per class. It is stored in
// model files as JSON.
type Arch struct {
	// In is the input shape (channels x rows x columns).
	In Shape `json:"in"`
	// Filters are the filters of each convolution block.
	Filters []int `json:"filters"`
	// Kernel is the convolution size (odd).
	Kernel int `json:"kernel"`
	// Pool is the pooling window and stride of every block (1: none);
	// AvgPool selects average instead of max pooling.
	Pool    int  `json:"pool"`
	AvgPool bool `json:"avg_pool,omitempty"`
	// Extra is the number of values joined after the global pooling.
	Extra int `json:"extra"`
	// Hidden is the width of the hidden dense layer (0: none).
	Hidden int `json:"hidden"`
	// Classes is the number of outputs.
	Classes int `json:"classes"`
	// OneD makes the blocks one-dimensional, for a signal of In.C leads
	// of In.W samples (In.H 1): convolutions of Kernel taps (Conv1D) with
	// the block's stride, then pooling over Pool samples (Pool1D).
	OneD bool `json:"one_d,omitempty"`
	// Kernels, when set (1-D only), are each block's kernel instead of
	// Kernel; Strides (1-D only) each block's convolution stride
	// (missing or empty: 1).
	Kernels []int `json:"kernels,omitempty"`
	Strides []int `json:"strides,omitempty"`
	// GlobalPool is the global pooling after the blocks: GlobalAvg (""),
	// GlobalMax or GlobalAvgMax (globalpool.go).
	GlobalPool string `json:"global_pool,omitempty"`
	// Recurrent, when above 0 (1-D only, with the average GlobalPool),
	// replaces the global pooling by a bidirectional GRU of that many
	// hidden units a direction over the last block's time steps, whose
	// states averaged over time (2 x Recurrent values) go to the dense
	// head (gru.go); RecurrentAvg joins the channels' averages over time
	// (the global average pooling) before them.
	Recurrent    int  `json:"recurrent,omitempty"`
	RecurrentAvg bool `json:"recurrent_avg,omitempty"`
	// GroupNorm, when above 0, puts a group normalisation of that many
	// groups (GroupNorm) between each block's convolution and its ReLU;
	// it must divide every block's filters (1: layer normalisation).
	GroupNorm int `json:"group_norm,omitempty"`
}

// Bounds of an Arch (Check).
const (
	MaxSide    = 1024
	MaxChannel = 64
	MaxBlocks  = 8
	MaxFilters = 256
	MaxKernel  = 9
	MaxExtra   = 256
	MaxHidden  = 4096
	MaxClasses = 4096
	// MaxParams bounds the parameters of a network.
	MaxParams = 1 << 24
	// MaxActivations bounds the values a network computes for one
	// sample (the outputs of its layers).
	MaxActivations = 1 << 24
	// MaxLength, MaxKernel1D and MaxStride bound a 1-D network's input
	// samples, kernels and strides.
	MaxLength   = 1 << 17
	MaxKernel1D = 63
	MaxStride   = 8
)

// ErrArch is wrapped by the errors of Check.
var ErrArch = errors.New("nn: bad architecture")

// Check reports whether a is within the bounds and its pooling leaves at
// least one row and column.
func (a Arch) Check() error {
	if a.OneD {
		return a.check1D()
	}
	switch {
	case a.In.C < 1 || a.In.C > MaxChannel || a.In.H < 1 || a.In.H > MaxSide || a.In.W < 1 || a.In.W > MaxSide:
		return archErr("input %v out of 1..%d channels of 1..%d sides", a.In, MaxChannel, MaxSide)
	case a.Kernel < 1 || a.Kernel > MaxKernel || a.Kernel%2 == 0:
		return archErr("kernel %d (odd, 1 to %d)", a.Kernel, MaxKernel)
	case len(a.Kernels) > 0 || len(a.Strides) > 0:
		return archErr("kernels %v and strides %v are for 1-D networks", a.Kernels, a.Strides)
	}
	if err := a.checkCommon(); err != nil {
		return err
	}
	h, w, act := a.In.H, a.In.W, 0
	for _, f := range a.Filters {
		if act += a.blockValues() * f * h * w; act > MaxActivations {
			return archErr("more than %d values computed per sample", MaxActivations)
		}
		h, w = h/a.Pool, w/a.Pool
		if h < 1 || w < 1 {
			return archErr("input %v pooled away by %d blocks of %d", a.In, len(a.Filters), a.Pool)
		}
	}
	if n := a.NumParams(); n > MaxParams {
		return archErr("%d parameters (at most %d)", n, MaxParams)
	}
	return nil
}

func archErr(f string, v ...any) error { return fmt.Errorf("%w: %s", ErrArch, fmt.Sprintf(f, v...)) }

// checkCommon checks what 1-D and 2-D networks share: the blocks and
// their filters, the pooling, the extra values, the hidden layer and the
// classes.
func (a Arch) checkCommon() error {
	switch {
	case len(a.Filters) > MaxBlocks:
		return archErr("%d blocks (at most %d)", len(a.Filters), MaxBlocks)
	case a.Pool < 1 || a.Pool > 4:
		return archErr("pool %d (1 to 4)", a.Pool)
	case a.Extra < 0 || a.Extra > MaxExtra || a.Hidden < 0 || a.Hidden > MaxHidden:
		return archErr("extra %d or hidden %d out of range", a.Extra, a.Hidden)
	case a.Classes < 1 || a.Classes > MaxClasses:
		return archErr("%d classes (1 to %d)", a.Classes, MaxClasses)
	}
	if err := a.checkGlobalPool(); err != nil {
		return err
	}
	if err := a.checkRecurrent(); err != nil {
		return err
	}
	if err := a.checkGroupNorm(); err != nil {
		return err
	}
	for _, f := range a.Filters {
		if f < 1 || f > MaxFilters {
			return archErr("%d filters (1 to %d)", f, MaxFilters)
		}
	}
	return nil
}

// check1D is Check of a 1-D network: In.H 1, In.W up to MaxLength, odd
// kernels up to MaxKernel1D, strides 1 to MaxStride, at least one sample
// left after every block.
func (a Arch) check1D() error {
	switch {
	case a.In.C < 1 || a.In.C > MaxChannel || a.In.H != 1 || a.In.W < 1 || a.In.W > MaxLength:
		return archErr("1-D input %v: 1..%d channels of 1 row of 1..%d samples", a.In, MaxChannel, MaxLength)
	case len(a.Kernels) > 0 && len(a.Kernels) != len(a.Filters):
		return archErr("%d kernels for %d blocks", len(a.Kernels), len(a.Filters))
	case len(a.Strides) > len(a.Filters):
		return archErr("%d strides for %d blocks", len(a.Strides), len(a.Filters))
	}
	if err := a.checkCommon(); err != nil {
		return err
	}
	w, act := a.In.W, 0
	for i, f := range a.Filters {
		k, s := a.block1D(i)
		if k < 1 || k > MaxKernel1D || k%2 == 0 {
			return archErr("block %d: kernel %d (odd, 1 to %d)", i+1, k, MaxKernel1D)
		}
		if s < 1 || s > MaxStride {
			return archErr("block %d: stride %d (1 to %d)", i+1, s, MaxStride)
		}
		w = conv1DLen(w, s)
		if act += a.blockValues() * f * w; act > MaxActivations {
			return archErr("more than %d values computed per sample", MaxActivations)
		}
		if w /= a.Pool; w < 1 {
			return archErr("input %v strided and pooled away by block %d", a.In, i+1)
		}
	}
	c := a.In.C
	if len(a.Filters) > 0 {
		c = a.Filters[len(a.Filters)-1]
	}
	if act += gruScratchValues(w, c, a.Recurrent); act > MaxActivations {
		return archErr("more than %d values computed per sample", MaxActivations)
	}
	if n := a.NumParams(); n > MaxParams {
		return archErr("%d parameters (at most %d)", n, MaxParams)
	}
	return nil
}

// block1D returns the kernel and stride of 1-D block i.
func (a Arch) block1D(i int) (kernel, stride int) {
	kernel, stride = a.Kernel, 1
	if len(a.Kernels) > i {
		kernel = a.Kernels[i]
	}
	if len(a.Strides) > i {
		stride = a.Strides[i]
	}
	return kernel, stride
}

// NumParams is the number of parameters of a network of architecture a
// (which Check has accepted, or whose sizes are small).
func (a Arch) NumParams() int {
	n, c, k := 0, a.In.C, a.Kernel
	for i, f := range a.Filters {
		if a.OneD {
			k1, _ := a.block1D(i)
			n += f*c*k1 + f
		} else {
			n += f*c*k*k + f
		}
		if a.GroupNorm > 0 {
			n += 2 * f
		}
		c = f
	}
	if a.Recurrent > 0 {
		n += gruParams(c, a.Recurrent)
	}
	in := a.pooledValues(c) + a.Extra
	if a.Hidden > 0 {
		n += a.Hidden*in + a.Hidden
		in = a.Hidden
	}
	return n + a.Classes*in + a.Classes
}

// Net is a network of an Arch with its parameters. Its methods may be
// called from several goroutines at once, except while training.
type Net struct {
	Arch Arch
	// Params are every layer's parameters, layer after layer.
	Params []float64
	trunk  []Layer // image to pooled channels
	head   []Layer // joined vector to logits
	off    []int   // parameter offset of each layer, trunk then head
	pool   sync.Pool
}

// New returns a network of architecture a with He-initialised weights
// drawn from a source seeded with seed.
func New(a Arch, seed uint64) (*Net, error) {
	n, err := build(a)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x6e6e2d696e6974)) // "nn-init"
	for i, l := range n.layers() {
		l.Init(n.Params[n.off[i]:n.off[i]+l.NumParams()], rng)
	}
	return n, nil
}

// FromParams returns a network of architecture a with the parameters p
// (NumParams values, kept, not copied).
func FromParams(a Arch, p []float64) (*Net, error) {
	n, err := build(a)
	if err != nil {
		return nil, err
	}
	if len(p) != len(n.Params) {
		return nil, fmt.Errorf("%w: %d parameters, the architecture has %d", ErrArch, len(p), len(n.Params))
	}
	n.Params = p
	return n, nil
}

// build makes the layers of a with zero parameters.
func build(a Arch) (*Net, error) {
	if err := a.Check(); err != nil {
		return nil, err
	}
	n := &Net{Arch: a}
	s := a.In
	for i, f := range a.Filters {
		var conv Layer = NewConv2D(s, f, a.Kernel)
		if a.OneD {
			k, stride := a.block1D(i)
			conv = NewConv1D(s, f, k, stride)
		}
		n.trunk = append(n.trunk, conv)
		if a.GroupNorm > 0 {
			n.trunk = append(n.trunk, NewGroupNorm(conv.Out(), a.GroupNorm))
		}
		n.trunk = append(n.trunk, NewReLU(conv.Out()))
		switch {
		case a.Pool > 1 && a.OneD:
			n.trunk = append(n.trunk, NewPool1D(conv.Out(), a.Pool, !a.AvgPool))
		case a.Pool > 1:
			n.trunk = append(n.trunk, NewPool(conv.Out(), a.Pool, !a.AvgPool))
		}
		s = n.trunk[len(n.trunk)-1].Out()
	}
	n.trunk = append(n.trunk, a.newGlobalPool(s))
	s = Shape{a.pooledValues(s.C) + a.Extra, 1, 1}
	if a.Hidden > 0 {
		d := NewDense(s, a.Hidden)
		n.head = append(n.head, d, NewReLU(d.Out()))
		s = d.Out()
	}
	n.head = append(n.head, NewDense(s, a.Classes))
	total := 0
	for _, l := range n.layers() {
		n.off = append(n.off, total)
		total += l.NumParams()
	}
	n.Params = make([]float64, total)
	return n, nil
}

func (n *Net) layers() []Layer { return append(append([]Layer(nil), n.trunk...), n.head...) }

// workspace holds one sample's activations and their gradients.
type workspace struct {
	act, grad [][]float64 // output of each layer, trunk then head
	join      []float64   // pooled channels and extra values
	djoin     []float64
	probs     []float64
}

func (n *Net) newWorkspace() *workspace {
	ws := &workspace{}
	for _, l := range n.layers() {
		sz := l.Out().Size()
		ws.act = append(ws.act, make([]float64, sz))
		ws.grad = append(ws.grad, make([]float64, sz))
	}
	c := n.trunk[len(n.trunk)-1].Out().Size() + n.Arch.Extra
	ws.join, ws.djoin = make([]float64, c), make([]float64, c)
	ws.probs = make([]float64, n.Arch.Classes)
	return ws
}

func (n *Net) getWorkspace() *workspace {
	if ws, ok := n.pool.Get().(*workspace); ok {
		return ws
	}
	return n.newWorkspace()
}

// forward runs one sample (x of In.Size() values, extra of Extra) and
// returns the logits (in ws).
func (n *Net) forward(ws *workspace, x, extra []float64) []float64 {
	a := x
	for i, l := range n.trunk {
		l.Forward(n.Params[n.off[i]:], a, ws.act[i])
		a = ws.act[i]
	}
	copy(ws.join, a)
	copy(ws.join[len(a):], extra)
	a = ws.join
	for j, l := range n.head {
		i := len(n.trunk) + j
		l.Forward(n.Params[n.off[i]:], a, ws.act[i])
		a = ws.act[i]
	}
	return a
}

// backward takes the gradient of the loss with respect to the logits
// (ws.grad of the last layer) after forward, and adds the parameter
// gradients to g.
func (n *Net) backward(ws *workspace, x []float64, g []float64) {
	nt := len(n.trunk)
	for j := len(n.head) - 1; j >= 0; j-- {
		i := nt + j
		in := ws.join
		din := ws.djoin
		if j > 0 {
			in, din = ws.act[i-1], ws.grad[i-1]
		}
		n.head[j].Backward(n.Params[n.off[i]:], in, ws.act[i], ws.grad[i], din, g[n.off[i]:])
	}
	copy(ws.grad[nt-1], ws.djoin)
	for i := nt - 1; i >= 0; i-- {
		in, din := x, []float64(nil)
		if i > 0 {
			in, din = ws.act[i-1], ws.grad[i-1]
		}
		n.trunk[i].Backward(n.Params[n.off[i]:], in, ws.act[i], ws.grad[i], din, g[n.off[i]:])
	}
}

// Probs writes the class probabilities (softmax of the logits) of one
// sample into dst (allocated when nil) and returns it. x has In.Size()
// values, extra has Extra.
func (n *Net) Probs(dst, x, extra []float64) []float64 {
	ws := n.getWorkspace()
	defer n.pool.Put(ws)
	logits := n.forward(ws, x, extra)
	if dst == nil {
		dst = make([]float64, n.Arch.Classes)
	}
	Softmax(dst, logits)
	return dst
}

// Logits writes the logits of one sample (the network's outputs before
// the softmax) into dst (allocated when nil) and returns it. x has
// In.Size() values, extra has Extra.
func (n *Net) Logits(dst, x, extra []float64) []float64 {
	ws := n.getWorkspace()
	defer n.pool.Put(ws)
	if dst == nil {
		dst = make([]float64, n.Arch.Classes)
	}
	copy(dst, n.forward(ws, x, extra))
	return dst
}
