package classify

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math"

	"github.com/ecgkit/ecg/classify/nn"
)

// saveFusion writes a gbdt+signet model as file version 4 (6 when a
// Stacker fuses it: the header's learner.stack; 8 when it stacks more
// than one tree model or network): what Save writes for
// its gradient-boosted trees alone (version 2: the magic bytes, version,
// header length and header, then the trees' body), with the version set
// to 4 (6) and the checksum replaced by the network. All values are
// little-endian.
//
//	params    uint32   number of network parameters; must equal what
//	                   info.learner.signet.arch makes (<= nn.MaxParams)
//	weights   params times float64, in nn.Net.Params order
//	crc       uint32   CRC-32 (IEEE) of every byte before it
//
// The header must describe the network (info.learner.signet: a 1-D
// architecture reading 1 channel of 2 to 120 s at its rate_hz of 25 to
// 1000 Hz, with no extra values and one output per label), a
// fusion_weight in (0, 1] and signal features; a stack (version 6 only)
// of 2 members and one class per label (Stacker.Check). Every weight
// must be finite and at most MaxWeight in size.
//
// Version 8 follows the network with the further members: the header's
// learner.stack_feature_sets (2 to 3 signal feature sets, each 4 to the
// model's set, each once; the first is the trees' above, which read that
// set's features, the first of the vector) names one gbdt body per set
// after the first (as above: rounds, classes, features, base, trees,
// features being that set's count), and learner.networks (2 to 8; 0: one)
// one network each after the first (params, weights, as above, of the
// same architecture; seeds one apart). The stack has one member per set
// and one per network with learner.networks_apart, else one for all
// networks (the mean of their log-probabilities).
func (m *Model) saveFusion(w io.Writer) error {
	var b bytes.Buffer
	if err := (&Model{Info: m.Info, gbdt: m.gbdt}).Save(&b); err != nil {
		return err
	}
	le := binary.LittleEndian
	out := b.Bytes()[:b.Len()-4] // the trees' file without its checksum
	le.PutUint32(out[len(modelMagic):], m.Info.fileVersion(modelVersionFusion))
	out = appendParams(out, m.signet.Net.Params)
	if ms := m.members; ms != nil {
		more := bytes.NewBuffer(out)
		for _, g := range ms.trees[1:] {
			writeGBDT(more, g)
		}
		out = more.Bytes()
		for _, s := range ms.nets[1:] {
			out = appendParams(out, s.Net.Params)
		}
	}
	out = le.AppendUint32(out, crc32.ChecksumIEEE(out))
	_, err := w.Write(out)
	return err
}

// appendParams appends the count and the values of network parameters p
// to out.
func appendParams(out []byte, p []float64) []byte {
	le := binary.LittleEndian
	out = le.AppendUint32(out, uint32(len(p)))
	for _, v := range p {
		out = le.AppendUint64(out, math.Float64bits(v))
	}
	return out
}

// signetHeaderArch checks the network and fusion weight described in the
// header of a gbdt+signet model against its features and labels, and
// its stacker against plan's members, and returns the network's
// architecture.
func signetHeaderArch(in *ModelInfo, plan stackPlan) (nn.Arch, error) {
	si, l := in.Learner.Signet, in.Learner
	switch {
	case si == nil || in.Features.Input != InputSignal:
		return nn.Arch{}, formatErr("a %s model needs its network in the header and signal features", LearnerGBDTSignet)
	case !(l.FusionWeight > 0 && l.FusionWeight <= 1):
		return nn.Arch{}, formatErr("fusion weight %v (want more than 0, at most 1)", l.FusionWeight)
	case !(si.Rate >= 25 && si.Rate <= 1000):
		return nn.Arch{}, formatErr("network input rate %v Hz (want 25 to 1000)", si.Rate)
	}
	if st := l.Stack; st != nil {
		if err := st.Check(); err != nil {
			return nn.Arch{}, formatErr("%v", err)
		}
		if st.Members != plan.members() || st.Classes != len(in.Labels) {
			return nn.Arch{}, formatErr("stacker of %d members and %d classes (want %d and %d)", st.Members, st.Classes, plan.members(), len(in.Labels))
		}
	}
	a := si.Arch
	if err := a.Check(); err != nil {
		return nn.Arch{}, formatErr("network: %v", err)
	}
	secs := float64(a.In.W) / si.Rate
	if !a.OneD || a.In.C != 1 || a.In.H != 1 || !(secs >= 1.99 && secs <= 120.01) || a.Extra != 0 || a.Classes != len(in.Labels) {
		return nn.Arch{}, formatErr("network of input %v (1-D: %v), %d extra values and %d classes; want 1-D, 1 channel of 2 to 120 s, none and %d",
			a.In, a.OneD, a.Extra, a.Classes, len(in.Labels))
	}
	return a, nil
}

// fusion reads the body of a gbdt+signet model whose header is in: the
// trees, then the network, then (version 8) its further members.
func (l *modelReader) fusion(in *ModelInfo) (*GBDT, *Signet, *stackMembers, error) {
	plan, err := in.stackPlan()
	if err != nil {
		return nil, nil, nil, formatErr("%v", err)
	}
	a, err := signetHeaderArch(in, plan)
	if err != nil {
		return nil, nil, nil, err
	}
	ms := &stackMembers{plan: plan}
	for _, nf := range plan.cols {
		g, err := l.gbdt(len(in.Labels), nf)
		if err != nil {
			return nil, nil, nil, err
		}
		ms.trees = append(ms.trees, g)
		if len(ms.nets) == 0 { // the first network follows the first trees
			s, err := l.signet(a, in.Learner.Signet.Rate)
			if err != nil {
				return nil, nil, nil, err
			}
			ms.nets = append(ms.nets, s)
		}
	}
	for range plan.nets - 1 {
		s, err := l.signet(a, in.Learner.Signet.Rate)
		if err != nil {
			return nil, nil, nil, err
		}
		ms.nets = append(ms.nets, s)
	}
	g, s := ms.trees[0], ms.nets[0]
	if !plan.more() {
		ms = nil
	}
	return g, s, ms, nil
}

// signet reads the parameter count and the weights of a network of
// architecture a reading inputs at rate Hz.
func (l *modelReader) signet(a nn.Arch, rate float64) (*Signet, error) {
	np := a.NumParams()
	b, err := l.read(4, "network size")
	if err != nil {
		return nil, err
	}
	if n := binary.LittleEndian.Uint32(b); int64(n) != int64(np) {
		return nil, formatErr("%d network parameters, the architecture has %d", n, np)
	}
	if b, err = l.read(8*np, "network weights"); err != nil {
		return nil, err
	}
	p := make([]float64, np)
	for i := range p {
		p[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		if !(math.Abs(p[i]) <= MaxWeight) {
			return nil, formatErr("network weight %d: %v", i, p[i])
		}
	}
	net, err := nn.FromParams(a, p)
	if err != nil {
		return nil, formatErr("%v", err)
	}
	return &Signet{Net: net, Rate: rate}, nil
}
