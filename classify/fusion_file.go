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
// Stacker fuses it: the header's learner.stack): what Save writes for
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
func (m *Model) saveFusion(w io.Writer) error {
	var b bytes.Buffer
	if err := (&Model{Info: m.Info, gbdt: m.gbdt}).Save(&b); err != nil {
		return err
	}
	le := binary.LittleEndian
	out := b.Bytes()[:b.Len()-4] // the trees' file without its checksum
	le.PutUint32(out[len(modelMagic):], m.Info.fileVersion(modelVersionFusion))
	p := m.signet.Net.Params
	out = le.AppendUint32(out, uint32(len(p)))
	for _, v := range p {
		out = le.AppendUint64(out, math.Float64bits(v))
	}
	out = le.AppendUint32(out, crc32.ChecksumIEEE(out))
	_, err := w.Write(out)
	return err
}

// signetHeaderArch checks the network and fusion weight described in the
// header of a gbdt+signet model against its features and labels, and
// returns the network's architecture.
func signetHeaderArch(in *ModelInfo) (nn.Arch, error) {
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
		if st.Members != 2 || st.Classes != len(in.Labels) {
			return nn.Arch{}, formatErr("stacker of %d members and %d classes (want 2 and %d)", st.Members, st.Classes, len(in.Labels))
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
// trees, then the network.
func (l *modelReader) fusion(in *ModelInfo) (*GBDT, *Signet, error) {
	a, err := signetHeaderArch(in)
	if err != nil {
		return nil, nil, err
	}
	g, err := l.gbdt(len(in.Labels), len(in.FeatureNames))
	if err != nil {
		return nil, nil, err
	}
	np := a.NumParams()
	b, err := l.read(4, "network size")
	if err != nil {
		return nil, nil, err
	}
	if n := binary.LittleEndian.Uint32(b); int64(n) != int64(np) {
		return nil, nil, formatErr("%d network parameters, the architecture has %d", n, np)
	}
	if b, err = l.read(8*np, "network weights"); err != nil {
		return nil, nil, err
	}
	p := make([]float64, np)
	for i := range p {
		p[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		if !(math.Abs(p[i]) <= MaxWeight) {
			return nil, nil, formatErr("network weight %d: %v", i, p[i])
		}
	}
	net, err := nn.FromParams(a, p)
	if err != nil {
		return nil, nil, formatErr("%v", err)
	}
	return g, &Signet{Net: net, Rate: in.Learner.Signet.Rate}, nil
}
