package nn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// Sample is one training or validation example.
type Sample struct {
	// X is the input (Arch.In.Size() values), Extra the values joined
	// after the global pooling (Arch.Extra).
	X, Extra []float64
	// Label is the class index.
	Label int
}

// FitOptions are the settings of Net.Fit.
type FitOptions struct {
	// Epochs is the most passes over the training samples; Batch the
	// samples per step.
	Epochs, Batch int
	// Optimizer ("adam", the default, or "sgd"), learning rate and
	// weight decay.
	Optimizer string
	LR, Decay float64
	// ClassWeights weight each class's loss (nil: all 1).
	ClassWeights []float64
	// Seed seeds the shuffles and the augmentation.
	Seed uint64
	// Jobs is the number of samples run at once (at least 1); the result
	// does not depend on it.
	Jobs int
	// Augment, when set, writes an altered copy of a training input x
	// into dst (Arch.In.Size() values), drawing from rng (seeded by Seed,
	// the epoch and the sample, so that the same seed gives the same
	// draws). With Augment the training samples' X may have any length
	// of at least one value (a whole recording to crop from, say);
	// validation samples always have Arch.In.Size().
	Augment func(dst, x []float64, rng *rand.Rand)
	// Patience stops training after that many epochs without a lower
	// validation loss (0: never stop early); the parameters of the epoch
	// with the lowest validation loss are kept.
	Patience int
	// Epoch, when set, is called after each epoch.
	Epoch func(e EpochResult)
}

// EpochResult is what one epoch did.
type EpochResult struct {
	Epoch     int     // from 1
	TrainLoss float64 // mean weighted loss of the training steps
	ValLoss   float64 // mean weighted validation loss (NaN without validation samples)
}

// FitResult says how training went.
type FitResult struct {
	Epochs []EpochResult
	// Best is the epoch whose parameters were kept (from 1).
	Best int
}

// ErrNoSamples is returned by Fit without training samples.
var ErrNoSamples = errors.New("nn: no training samples")

// Fit trains the network on train, measuring every epoch on val (when
// not empty) for early stopping. It stops between steps when ctx is done.
func (n *Net) Fit(ctx context.Context, train, val []Sample, opt FitOptions) (*FitResult, error) {
	if len(train) == 0 {
		return nil, ErrNoSamples
	}
	if err := n.checkSamples(train, opt.Augment != nil); err != nil {
		return nil, err
	}
	if err := n.checkSamples(val, false); err != nil {
		return nil, err
	}
	optim, err := NewOptimizer(opt.Optimizer, opt.LR, opt.Decay)
	if err != nil {
		return nil, err
	}
	opt.Batch, opt.Jobs = max(opt.Batch, 1), max(opt.Jobs, 1)
	b := newBatcher(n, min(opt.Batch, len(train)), opt)
	res := &FitResult{}
	best, bestLoss, since := slices.Clone(n.Params), math.Inf(1), 0
	order := make([]int, len(train))
	for i := range order {
		order[i] = i
	}
	for e := 1; e <= opt.Epochs; e++ {
		rand.New(rand.NewPCG(opt.Seed, uint64(e))).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		loss := 0.0
		for s := 0; s < len(order); s += opt.Batch {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			idx := order[s:min(s+opt.Batch, len(order))]
			loss += b.step(train, idx, e, optim)
		}
		er := EpochResult{Epoch: e, TrainLoss: loss / float64(len(order)), ValLoss: math.NaN()}
		if len(val) > 0 {
			er.ValLoss = n.Loss(val, opt.ClassWeights, opt.Jobs)
		}
		res.Epochs = append(res.Epochs, er)
		if opt.Epoch != nil {
			opt.Epoch(er)
		}
		if len(val) == 0 || er.ValLoss < bestLoss {
			bestLoss, since, res.Best = er.ValLoss, 0, e
			copy(best, n.Params)
		} else if since++; opt.Patience > 0 && since >= opt.Patience {
			break
		}
	}
	copy(n.Params, best)
	return res, nil
}

// checkSamples checks the samples' sizes and labels; anyLength accepts
// inputs of any length of at least one value (training inputs that an
// augmentation turns into the network's input).
func (n *Net) checkSamples(s []Sample, anyLength bool) error {
	for i, x := range s {
		size := len(x.X) == n.Arch.In.Size() || anyLength && len(x.X) > 0
		if !size || len(x.Extra) != n.Arch.Extra || x.Label < 0 || x.Label >= n.Arch.Classes {
			return fmt.Errorf("nn: sample %d: %d inputs, %d extra values, label %d (want %d, %d, 0 to %d)",
				i, len(x.X), len(x.Extra), x.Label, n.Arch.In.Size(), n.Arch.Extra, n.Arch.Classes-1)
		}
	}
	return nil
}

// weight is the class weight of label y (1 without weights).
func weight(w []float64, y int) float64 {
	if w == nil {
		return 1
	}
	return w[y]
}

// batcher runs the samples of a batch in parallel, each into its own
// gradient buffer, and sums the buffers in sample order.
type batcher struct {
	n     *Net
	opt   FitOptions
	grads [][]float64 // one per sample of a batch
	loss  []float64
	ws    []*workspace // one per job
	aug   [][]float64  // augmented input per job
	sum   []float64
}

func newBatcher(n *Net, batch int, opt FitOptions) *batcher {
	b := &batcher{n: n, opt: opt, loss: make([]float64, batch), sum: make([]float64, len(n.Params))}
	for range batch {
		b.grads = append(b.grads, make([]float64, len(n.Params)))
	}
	for range opt.Jobs {
		b.ws = append(b.ws, n.newWorkspace())
		b.aug = append(b.aug, make([]float64, n.Arch.In.Size()))
	}
	return b
}

// step runs the samples idx of train (epoch e) and takes one optimiser
// step on their mean gradient; it returns their summed loss.
func (b *batcher) step(train []Sample, idx []int, e int, optim Optimizer) float64 {
	jobs := min(b.opt.Jobs, len(idx))
	var wg sync.WaitGroup
	for w := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < len(idx); j += jobs {
				b.loss[j] = b.sample(w, j, train[idx[j]], idx[j], e)
			}
		}()
	}
	wg.Wait()
	clear(b.sum)
	loss := 0.0
	inv := 1 / float64(len(idx))
	for j := range idx {
		loss += b.loss[j]
		for i, v := range b.grads[j] {
			b.sum[i] += v
		}
	}
	for i := range b.sum {
		b.sum[i] *= inv
	}
	optim.Step(b.n.Params, b.sum)
	return loss
}

// sample runs training sample s (index i of the training set) on job w
// into gradient buffer j and returns its loss.
func (b *batcher) sample(w, j int, s Sample, i, e int) float64 {
	ws, x := b.ws[w], s.X
	if b.opt.Augment != nil {
		rng := rand.New(rand.NewPCG(b.opt.Seed^0x61756720, uint64(e)<<32|uint64(i)))
		b.opt.Augment(b.aug[w], x, rng)
		x = b.aug[w]
	}
	g := b.grads[j]
	clear(g)
	logits := b.n.forward(ws, x, s.Extra)
	last := len(ws.grad) - 1
	loss := CrossEntropy(logits, s.Label, weight(b.opt.ClassWeights, s.Label), ws.probs, ws.grad[last])
	b.n.backward(ws, x, g)
	return loss
}

// Loss returns the mean weighted cross-entropy of the samples (class
// weights w, nil for none), running jobs samples at once; the result does
// not depend on jobs.
func (n *Net) Loss(samples []Sample, w []float64, jobs int) float64 {
	if len(samples) == 0 {
		return math.NaN()
	}
	loss := make([]float64, len(samples))
	jobs = max(1, min(jobs, len(samples)))
	var wg sync.WaitGroup
	for j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := n.getWorkspace()
			defer n.pool.Put(ws)
			for i := j; i < len(samples); i += jobs {
				s := samples[i]
				loss[i] = CrossEntropy(n.forward(ws, s.X, s.Extra), s.Label, weight(w, s.Label), ws.probs, nil)
			}
		}()
	}
	wg.Wait()
	sum, wsum := 0.0, 0.0
	for i, l := range loss {
		sum += l
		wsum += weight(w, samples[i].Label)
	}
	return sum / wsum
}
