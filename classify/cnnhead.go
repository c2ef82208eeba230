package classify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecgkit/ecg/classify/nn"
)

// The values of CNNOptions.FromHead: what a warm start (CNNOptions.From)
// does with the dense head of the network it starts from.
const (
	// CNNFromHeadNew ("" too) trains the hidden and output layers from
	// fresh weights; only the convolution blocks are the network's.
	CNNFromHeadNew = "new"
	// CNNFromHeadKeep keeps the hidden layer and, for each label the
	// network knows, its output row (weights and bias), moved to the
	// label's place in the new label order; labels it does not know get
	// fresh rows. The extra values keep the network's standardisation.
	CNNFromHeadKeep = "keep"
)

// ErrHeadNotKept is wrapped by HeadKeepable's error when the head of a
// network cannot be kept for a training set (no label in common, or other
// extra values before the head).
var ErrHeadNotKept = fmt.Errorf("the dense head of the network cannot be kept")

// checkFromHead checks CNNOptions.FromHead.
func checkFromHead(v string) error {
	switch v {
	case "", CNNFromHeadNew, CNNFromHeadKeep:
		return nil
	}
	return &OptionError{"from-head", v, CNNFromHeadKeep + " or " + CNNFromHeadNew}
}

// HeadKeepable returns nil when the dense head of network from can start
// the training of a network on labels whose images come with the extra
// manifest columns extra (FeatureSpec.Extra): from is a cnn model, knows
// at least one of labels and was trained with the same extra columns, in
// the same order. Its error wraps ErrHeadNotKept and says why.
func HeadKeepable(from *Model, labels, extra []string) error {
	if from == nil || from.cnn == nil {
		return fmt.Errorf("%w: the model to start from is not a network", ErrHeadNotKept)
	}
	if !slices.Equal(from.Info.Features.Extra, extra) {
		return fmt.Errorf("%w: it reads the extra values [%s] before its head, these images [%s]", ErrHeadNotKept,
			strings.Join(from.Info.Features.Extra, " "), strings.Join(extra, " "))
	}
	for _, l := range labels {
		if slices.Contains(from.Info.Labels, l) {
			return nil
		}
	}
	return fmt.Errorf("%w: its labels %s and these %s have none in common", ErrHeadNotKept,
		strings.Join(from.Info.Labels, ","), strings.Join(labels, ","))
}

// keepHeadArch readies arch (a warm start's, which warmStart has set) to
// take the head of o.From: it checks o's labels and extra columns
// (HeadKeepable) and the number of extra values, and takes the network's
// hidden width.
func keepHeadArch(arch *nn.Arch, from *CNN, o CNNOptions) error {
	if o.labels == nil {
		return fmt.Errorf("classify: cnn: keeping the head of the network needs the label names (train with Train)")
	}
	if err := HeadKeepable(o.From, o.labels, o.extra); err != nil {
		return fmt.Errorf("classify: cnn: %w", err)
	}
	fa := from.Net.Arch
	if fa.Extra != arch.Extra {
		return fmt.Errorf("classify: cnn: %w: it joins %d extra values before its head, these images %d", ErrHeadNotKept, fa.Extra, arch.Extra)
	}
	arch.Hidden = fa.Hidden
	return nil
}

// keepHead copies into net (of from's architecture but for its number of
// classes, freshly initialised) the hidden layer of from and, for each of
// labels that fromLabels (from's labels, in its output order) holds, its
// output row and bias at the label's index in labels. It returns the
// labels whose rows were copied, in the order of labels; the others keep
// their fresh rows.
func keepHead(net *nn.Net, from *nn.Net, fromLabels, labels []string) []string {
	a := net.Arch
	trunk := trunkParams(a)
	noOut := a
	noOut.Classes = 0
	out := noOut.NumParams() // the output layer's first parameter
	copy(net.Params[trunk:out], from.Params[trunk:out])
	one := noOut
	one.Classes = 1
	in := one.NumParams() - out - 1 // the output layer's inputs
	k, fk := a.Classes, from.Arch.Classes
	var kept []string
	for j, l := range labels {
		i := slices.Index(fromLabels, l)
		if i < 0 {
			continue
		}
		copy(net.Params[out+j*in:out+(j+1)*in], from.Params[out+i*in:out+(i+1)*in])
		net.Params[out+k*in+j] = from.Params[out+fk*in+i]
		kept = append(kept, l)
	}
	return kept
}

// warmNet returns the network of arch that training starts from, seeded
// with o.Seed: fresh weights, or with a warm start (from set) the
// convolution blocks of from and, when o.FromHead keeps it, its head
// (keepHead); c takes from's standardisation (the extra values' too when
// the head is kept). It returns the labels whose output rows were kept.
func warmNet(arch nn.Arch, from *CNN, c *CNN, o CNNOptions) (*nn.Net, []string, error) {
	net, err := nn.New(arch, o.Seed)
	if err != nil {
		return nil, nil, fmt.Errorf("classify: cnn: %w", err)
	}
	switch {
	case from != nil:
		copy(net.Params, from.Net.Params[:trunkParams(arch)])
		c.Mean, c.SD, c.PerImage = from.Mean, from.SD, from.PerImage
	case o.PerImage:
		c.Mean, c.SD, c.PerImage = 0, 1, true
	}
	if from == nil || o.FromHead != CNNFromHeadKeep {
		return net, nil, nil
	}
	c.ExtraMean, c.ExtraSD = slices.Clone(from.ExtraMean), slices.Clone(from.ExtraSD)
	return net, keepHead(net, from.Net, o.From.Info.Labels, o.labels), nil
}

// headSummary says, for FitSummary, whose head the network started from:
// " with the head of NAME (AF, N)" (the labels whose rows were kept), or
// "" for a fresh head.
func (ci *CNNInfo) headSummary() string {
	if len(ci.FromHead) == 0 {
		return ""
	}
	return fmt.Sprintf(" with the head of %s (%s)", ci.From, strings.Join(ci.FromHead, ", "))
}
