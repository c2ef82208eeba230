package classify

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/ecgkit/ecg/classify/nn"
)

// MaxWeight bounds the size of a network's weights and standardisation
// in a model file.
const MaxWeight = 1e6

// saveCNN writes a network model as file version 3: the magic bytes,
// version, header length and header as every version has them, then the
// body of a "cnn" model. All values are little-endian.
//
//	params    uint32   number of parameters; must equal what
//	                   info.learner.cnn.arch makes (<= nn.MaxParams)
//	mean, sd  float64  the pixels' standardisation (sd > 0)
//	extra     arch.extra times float64 mean, then as many float64 sd
//	weights   params times float64, in nn.Net.Params order
//	crc       uint32   CRC-32 (IEEE) of every byte before it
//
// The architecture must read images of 1 channel of the rows and columns
// of info.features.image (with pixels), or, a temporal network (1-D,
// CNNArchTemporal), as many channels as the image has rows of its
// columns each, join as many extra values as
// the features name after the pixels, and have one output per label.
// Every value must be finite, weights and means at most MaxWeight in size.
//
// A seed ensemble (info.learner.cnn.members, at most MaxCNNEnsemble-1 of
// them, CNN.Members) is file version 9: after the first network's params,
// standardisation and weights, each member's, laid out alike (the same
// architecture), then the crc. A network with a recurrent layer
// (arch.recurrent), one or an ensemble, is file version 11, laid out alike.
func (m *Model) saveCNN(w io.Writer) error {
	info, err := json.Marshal(&m.Info)
	if err != nil {
		return fmt.Errorf("classify: encoding model header: %w", err)
	}
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString(modelMagic)
	b.Write(le.AppendUint32(nil, m.Info.fileVersion(modelVersionCNN)))
	b.Write(le.AppendUint32(nil, uint32(len(info))))
	b.Write(info)
	for _, c := range append([]*CNN{m.cnn}, m.cnn.Members...) {
		writeCNNBody(&b, c)
	}
	b.Write(le.AppendUint32(nil, crc32.ChecksumIEEE(b.Bytes())))
	_, err = w.Write(b.Bytes())
	return err
}

// writeCNNBody appends network c's parameter count, standardisation and
// weights (not its members') to b.
func writeCNNBody(b *bytes.Buffer, c *CNN) {
	le := binary.LittleEndian
	buf := le.AppendUint32(nil, uint32(len(c.Net.Params)))
	for _, v := range append(append([]float64{c.Mean, c.SD}, c.ExtraMean...), c.ExtraSD...) {
		buf = le.AppendUint64(buf, math.Float64bits(v))
	}
	b.Write(buf)
	buf = make([]byte, 0, 8*len(c.Net.Params))
	for _, v := range c.Net.Params {
		buf = le.AppendUint64(buf, math.Float64bits(v))
	}
	b.Write(buf)
}

// cnnArch checks the network described in the header of a model against
// its features and labels, and returns its architecture.
func cnnArch(in *ModelInfo) (nn.Arch, error) {
	ci := in.Learner.CNN
	f := in.Features
	if ci == nil || f.Input != InputImage || f.Image == nil || !f.Image.Pixels {
		return nn.Arch{}, formatErr("a cnn model needs its network in the header and image pixel features")
	}
	a := ci.Arch
	if err := a.Check(); err != nil {
		return nn.Arch{}, formatErr("network: %v", err)
	}
	want := networkInput(archName(a), f.Image.Rows, f.Image.Cols)
	if a.In != want || a.Extra != len(in.FeatureNames)-want.Size() || a.Classes != len(in.Labels) {
		return nn.Arch{}, formatErr("network of input %v, %d extra values and %d classes; the features and labels make %v, %d and %d",
			a.In, a.Extra, a.Classes, want, len(in.FeatureNames)-want.Size(), len(in.Labels))
	}
	return a, nil
}

// cnn reads the body of a network model whose header is in, written in
// file version v: one network, or (version 9 only) the networks of a seed
// ensemble.
func (l *modelReader) cnn(in *ModelInfo, v uint32) (*CNN, error) {
	a, err := cnnArch(in)
	if err != nil {
		return nil, err
	}
	ci := in.Learner.CNN
	if err := checkCNNVersion(a, len(ci.Members), v); err != nil {
		return nil, err
	}
	c, err := l.cnnBody(a, ci.PerImage, "")
	for i := 0; err == nil && i < len(ci.Members); i++ {
		var mc *CNN
		mc, err = l.cnnBody(a, ci.PerImage, fmt.Sprintf("network %d of %d: ", i+2, len(ci.Members)+1))
		c.Members = append(c.Members, mc)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// checkCNNVersion checks that a network of architecture a with members
// further networks may be in file version v: a group normalisation in
// version 13 and only there; a recurrent layer in version 11, or 13 with
// a group normalisation; an ensemble (at most MaxCNNEnsemble networks) in
// version 9, or 11 with a recurrent layer, or 13; a global pooling other
// than the average in version 7, 9, 11 or 13, and version 7 only with
// one.
func checkCNNVersion(a nn.Arch, members int, v uint32) error {
	free := v == modelVersionEnsemble || v == modelVersionRecurrent || v == modelVersionNorm // any members and pooling
	switch {
	case members > MaxCNNEnsemble-1:
		return formatErr("an ensemble of %d networks (at most %d)", members+1, MaxCNNEnsemble)
	case (a.GroupNorm > 0) != (v == modelVersionNorm):
		return formatErr("a group normalisation of %d groups in version %d (it comes in version %d, only there)", a.GroupNorm, v, modelVersionNorm)
	case v != modelVersionNorm && (a.Recurrent > 0) != (v == modelVersionRecurrent):
		return formatErr("a recurrent layer of %d units in version %d (it comes in version %d, or %d with a group normalisation)", a.Recurrent, v, modelVersionRecurrent, modelVersionNorm)
	case members > 0 && !free:
		return formatErr("%d networks in version %d (an ensemble comes in version %d, or %d with a recurrent layer, or %d with a group normalisation)", members+1, v, modelVersionEnsemble, modelVersionRecurrent, modelVersionNorm)
	case members == 0 && v == modelVersionEnsemble:
		return formatErr("one network in version %d (it holds ensembles of 2 to %d networks)", v, MaxCNNEnsemble)
	case !free && (a.GlobalPool != "") != (v == modelVersionPool):
		return formatErr("global pooling %q in version %d (other than the average it comes in version %d, only there)", a.GlobalPool, v, modelVersionPool)
	}
	return nil
}

// cnnBody reads one network of architecture a: its parameter count,
// standardisation and weights; errors start with what.
func (l *modelReader) cnnBody(a nn.Arch, perImage bool, what string) (*CNN, error) {
	np := a.NumParams()
	b, err := l.read(4+16+16*a.Extra, what+"network size")
	if err != nil {
		return nil, err
	}
	r := &reader{b: b}
	if n := r.u32(""); int(n) != np {
		return nil, formatErr("%s%d network parameters, the architecture has %d", what, n, np)
	}
	vals := make([]float64, 2+2*a.Extra)
	for i := range vals {
		vals[i] = math.Float64frombits(r.u64(""))
		if !(math.Abs(vals[i]) <= MaxWeight) || (i == 1 || i >= 2+a.Extra) && !(vals[i] > 0) {
			return nil, formatErr("%snetwork standardisation value %d: %v", what, i, vals[i])
		}
	}
	c := &CNN{Mean: vals[0], SD: vals[1], PerImage: perImage, ExtraMean: vals[2 : 2+a.Extra], ExtraSD: vals[2+a.Extra:]}
	if b, err = l.read(8*np, what+"network weights"); err != nil {
		return nil, err
	}
	r = &reader{b: b}
	p := make([]float64, np)
	for i := range p {
		p[i] = math.Float64frombits(r.u64(""))
		if !(math.Abs(p[i]) <= MaxWeight) {
			return nil, formatErr("%snetwork weight %d: %v", what, i, p[i])
		}
	}
	if c.Net, err = nn.FromParams(a, p); err != nil {
		return nil, formatErr("%s%v", what, err)
	}
	return c, nil
}
