package classify

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"strconv"
	"strings"
)

// The model file format, version 1. All integers are little-endian.
//
//	magic     8 bytes  "ECGMODEL"
//	version   uint32   1
//	infoLen   uint32   length of the JSON header (<= MaxInfoBytes)
//	info      infoLen bytes of JSON: ModelInfo
//	trees     uint32   number of trees (<= MaxTrees)
//	classes   uint32   must equal len(info.labels)
//	features  uint32   must equal len(info.feature_names)
//	per tree:
//	  nodes   uint32   (<= MaxNodes)
//	  leaves  uint32   (<= nodes)
//	  nodes times: feature int32 (-1 for a leaf), threshold float64,
//	               left int32, right int32 (a leaf's left is its leaf index)
//	  leaves*classes times: probability float32
//	crc       uint32   CRC-32 (IEEE) of every byte before it
//
// Version 2 holds a model of any learner; what follows the header depends
// on info.learner.kind. For "random-forest" it is as in version 1 (Save
// writes forests as version 1, byte for byte as before). For "gbdt"
// (gradient-boosted trees, one tree per class per round):
//
//	rounds    uint32   number of rounds (rounds*classes <= MaxTrees)
//	classes   uint32   must equal len(info.labels)
//	features  uint32   must equal len(info.feature_names)
//	base      classes times float64: the raw score every input starts from
//	rounds*classes trees, tree r*classes+c being class c's of round r,
//	  as a forest's with one float32 per leaf: the raw score it adds
//	crc       uint32   CRC-32 (IEEE) of every byte before it
//
// Version 3 is version 2 that may also hold a "cnn" model (a
// convolutional network, package nn), whose body saveCNN describes;
// Save writes version 3 for networks only.
//
// Version 4 holds a "gbdt+signet" model only, whose body saveFusion
// describes.
//
// Version 5 holds a "random-forest", "gbdt" or "cnn" body as above, and
// is what Save writes (for those alone) when the header records the
// spectrogram settings of the archive the model was trained on
// (features.spectrogram): an older program, which would render live
// windows with ecg spectro's defaults instead, then refuses the file.
// The settings' stride (stride_s, session 27) came without a new
// version: a program that ignores it renders every window as the model's
// archive did, only over its own --window rather than the stride's, as
// it always did and as --window can still set (docs/classify.md).
//
// Version 10 holds a "random-forest" or "gbdt" body as above, and is what
// Save writes for them when their signal features have crop views
// (features.signal.crops): an older program would score the whole signal
// only, so it refuses the file. (Versions 8 and 9 are other branches'.)
//
// Version 11 holds a "cnn" body as above (one network or a seed
// ensemble; the header may record spectrogram settings) whose network has
// a recurrent layer (nn.Arch.Recurrent), which an older program would
// not build; it is what Save writes for such networks, and only for them.
//
// Version 12 holds a "random-forest" or "gbdt" body as above, and is what
// Save writes for them when their signal features remove mains lines
// (features.signal.mains_notch), with crop views or without: an older
// program would compute the features of the hum as well.
//
// Version 13 holds a "cnn" body as above (one network or a seed
// ensemble, with a recurrent layer or without; the header may record
// spectrogram settings) whose network normalises its blocks
// (nn.Arch.GroupNorm), which an older program would not build; it is
// what Save writes for such networks, and only for them.
//
// LoadModel checks every count against these bounds and against the bytes
// actually present before allocating, checks that children come after
// their parent (so that every path ends in a leaf), that features and leaf
// indices are in range and that probabilities are finite and in [0, 1]
// (base and leaf raw scores: finite and at most MaxRawScore in size).
const (
	modelMagic   = "ECGMODEL"
	modelVersion = 1
	// modelVersionKinds is the version whose body depends on the learner.
	modelVersionKinds = 2
	// modelVersionCNN is the version that may hold a network.
	modelVersionCNN = 3
	// modelVersionFusion is the version of gbdt+signet models.
	modelVersionFusion = 4
	// modelVersionSettings is the version of models whose header records
	// spectrogram settings.
	modelVersionSettings = 5
	// modelVersionStack is the version of gbdt+signet models fused by a
	// Stacker (the layout of modelVersionFusion).
	modelVersionStack = 6
	// modelVersionPool is the version of networks whose architecture
	// sets a global pooling other than the average (nn.Arch.GlobalPool),
	// which an older reader would ignore; the header may record
	// spectrogram settings as in modelVersionSettings.
	modelVersionPool = 7
	// modelVersionMembers is the version of stacked gbdt+signet models
	// of more than one tree model or network (the header's
	// learner.stack_feature_sets, learner.networks): the layout of
	// modelVersionStack with the further members after the network.
	modelVersionMembers = 8
	// modelVersionEnsemble is the version of a seed ensemble of networks
	// (CNNInfo.Members; saveCNN), whatever their global pooling; the
	// header may record spectrogram settings as in modelVersionSettings.
	modelVersionEnsemble = 9
	// modelVersionCrops is the version of random-forest and gbdt models
	// whose signal features have crop views (SignalFeatures.Crops): an
	// older program would score the whole signal only.
	modelVersionCrops = 10
	// modelVersionRecurrent is the version of networks with a recurrent
	// layer (nn.Arch.Recurrent), one or a seed ensemble, whatever else
	// their header records.
	modelVersionRecurrent = 11
	// modelVersionMains is the version of random-forest and gbdt models
	// whose signal features remove mains lines first
	// (SignalFeatures.MainsNotch), with or without crop views: an older
	// program would read a recording's hum as its features.
	modelVersionMains = 12
	// modelVersionNorm is the version of networks with a group
	// normalisation in their blocks (nn.Arch.GroupNorm), one or a seed
	// ensemble, with a recurrent layer or without, whatever else their
	// header records.
	modelVersionNorm = 13

	// MaxModelBytes bounds the size of a model file LoadModel accepts.
	MaxModelBytes = 1 << 30
	// MaxInfoBytes bounds the JSON header.
	MaxInfoBytes = 64 << 20
	// MaxTrees bounds the number of trees.
	MaxTrees = 100000
	// MaxNodes bounds the nodes of one tree.
	MaxNodes = 1 << 24
	// MaxRawScore bounds the size of a gradient-boosted model's base and
	// leaf raw scores.
	MaxRawScore = 1e6

	maxLabels   = 4096
	maxLabelLen = 256
	maxFeatures = 1 << 16
)

// ErrModelFormat is wrapped by every error LoadModel returns for bytes
// that are not a valid model file.
var ErrModelFormat = errors.New("not a valid ecg model file")

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrModelFormat, fmt.Sprintf(format, args...))
}

// IsModelFile reports whether r starts like a model file, with the magic
// bytes "ECGMODEL". It reads at most 8 bytes of r.
func IsModelFile(r io.Reader) bool {
	head := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(r, head); err != nil {
		return false
	}
	return string(head) == modelMagic
}

// Save writes the model in the model file format. The same model writes
// the same bytes.
func (m *Model) Save(w io.Writer) error {
	if m.signet != nil {
		return m.saveFusion(w)
	}
	if m.cnn != nil {
		return m.saveCNN(w)
	}
	if m.forest == nil && m.gbdt == nil {
		return errNoForest
	}
	info, err := json.Marshal(&m.Info)
	if err != nil {
		return fmt.Errorf("classify: encoding model header: %w", err)
	}
	var b bytes.Buffer
	le := binary.LittleEndian
	version := uint32(modelVersion)
	if m.gbdt != nil {
		version = modelVersionKinds
	}
	version = m.Info.fileVersion(version)
	b.WriteString(modelMagic)
	b.Write(le.AppendUint32(nil, version))
	b.Write(le.AppendUint32(nil, uint32(len(info))))
	b.Write(info)
	buf := make([]byte, 0, 64)
	if g := m.gbdt; g != nil {
		writeGBDT(&b, g)
	} else {
		f := m.forest
		buf = le.AppendUint32(buf[:0], uint32(len(f.Trees)))
		buf = le.AppendUint32(buf, uint32(f.NumClasses))
		buf = le.AppendUint32(buf, uint32(f.NumFeatures))
		b.Write(buf)
		writeTrees(&b, f.Trees, f.NumClasses)
	}
	b.Write(le.AppendUint32(buf[:0], crc32.ChecksumIEEE(b.Bytes())))
	_, err = w.Write(b.Bytes())
	return err
}

// writeGBDT appends the body of gradient-boosted trees g to b: its round,
// class and feature counts, base scores and trees.
func writeGBDT(b *bytes.Buffer, g *GBDT) {
	le := binary.LittleEndian
	buf := le.AppendUint32(nil, uint32(g.Rounds()))
	buf = le.AppendUint32(buf, uint32(g.NumClasses))
	buf = le.AppendUint32(buf, uint32(g.NumFeatures))
	for _, v := range g.Base {
		buf = le.AppendUint64(buf, math.Float64bits(v))
	}
	b.Write(buf)
	writeTrees(b, g.Trees, 1)
}

// writeTrees appends trees with width values per leaf to b.
func writeTrees(b *bytes.Buffer, trees []Tree, width int) {
	le := binary.LittleEndian
	buf := make([]byte, 0, 64)
	for _, t := range trees {
		buf = le.AppendUint32(buf[:0], uint32(len(t.Feature)))
		buf = le.AppendUint32(buf, uint32(len(t.Leaf)/width))
		b.Write(buf)
		for i := range t.Feature {
			buf = le.AppendUint32(buf[:0], uint32(t.Feature[i]))
			buf = le.AppendUint64(buf, math.Float64bits(t.Threshold[i]))
			buf = le.AppendUint32(buf, uint32(t.Left[i]))
			buf = le.AppendUint32(buf, uint32(t.Right[i]))
			b.Write(buf)
		}
		for _, p := range t.Leaf {
			b.Write(le.AppendUint32(buf[:0], math.Float32bits(p)))
		}
	}
}

// reader reads little-endian values from a byte slice, remembering the
// first error.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) need(n int, what string) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || len(r.b)-r.off < n {
		r.err = formatErr("truncated at byte %d reading %s", r.off, what)
		return false
	}
	return true
}

func (r *reader) u32(what string) uint32 {
	if !r.need(4, what) {
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *reader) u64(what string) uint64 {
	if !r.need(8, what) {
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

// LoadModel reads a model written by Save. Hostile or truncated input
// gives an error wrapping ErrModelFormat, never a panic. It reads the
// file in the order it is laid out and checks each part before reading
// the next: the magic bytes first (bytes that are not a model file are
// refused after 8 bytes), then the header length, the counts and each
// tree's size, so that no more is read, and no more allocated, than the
// counts already checked declare (and the bytes actually present hold),
// and never more than MaxModelBytes in all.
func LoadModel(rd io.Reader) (*Model, error) {
	l := &modelReader{r: &io.LimitedReader{R: rd, N: MaxModelBytes + 1}, crc: crc32.NewIEEE()}
	head, err := l.read(len(modelMagic)+8, "magic")
	if err != nil || string(head[:len(modelMagic)]) != modelMagic {
		if len(head) >= len(modelMagic) && string(head[:len(modelMagic)]) == modelMagic {
			return nil, err
		}
		return nil, formatErr("no ECGMODEL magic")
	}
	r := &reader{b: head, off: len(modelMagic)}
	version := r.u32("version")
	if version < modelVersion || version > modelVersionNorm {
		return nil, formatErr("version %d (this program reads versions %d to %d)", version, modelVersion, modelVersionNorm)
	}
	infoLen := r.u32("header length")
	if infoLen > MaxInfoBytes {
		return nil, formatErr("header of %d bytes (at most %d)", infoLen, MaxInfoBytes)
	}
	info, err := l.read(int(infoLen), "header")
	if err != nil {
		return nil, err
	}
	m := &Model{}
	if err := json.Unmarshal(info, &m.Info); err != nil {
		return nil, formatErr("header: %v", err)
	}
	if err := m.Info.validate(); err != nil {
		return nil, err
	}
	k, nf := len(m.Info.Labels), len(m.Info.FeatureNames)
	kind := m.Info.Learner.Kind
	// A fused model's version also says which members it has.
	ok := learnerVersion(kind, version) && (kind != LearnerGBDTSignet || version == m.Info.fileVersion(modelVersionFusion))
	switch {
	case !ok && version == modelVersion:
		err = formatErr("learner %q (version %d knows %q)", kind, version, LearnerForest)
	case !ok:
		err = formatErr("learner %q in version %d (this program reads %q in versions %s, %q in %s, %q in %s, %q in %s)", kind, version,
			LearnerForest, versionsOf(LearnerForest), LearnerGBDT, versionsOf(LearnerGBDT), LearnerCNN, versionsOf(LearnerCNN), LearnerGBDTSignet, versionsOf(LearnerGBDTSignet))
	case kind == LearnerForest:
		m.forest, err = l.forest(k, nf)
	case kind == LearnerGBDT:
		m.gbdt, err = l.gbdt(k, nf)
	case kind == LearnerCNN:
		m.cnn, err = l.cnn(&m.Info, version)
	default:
		m.gbdt, m.signet, m.members, err = l.fusion(&m.Info)
	}
	if err != nil {
		return nil, err
	}
	if err := checkSignalVersion(m.Info.Features, version); err != nil {
		return nil, err
	}
	if m.Info.Features.Spectrogram != nil && version != modelVersionSettings && version != modelVersionPool && version != modelVersionEnsemble && version != modelVersionRecurrent && version != modelVersionNorm {
		return nil, formatErr("spectrogram settings in version %d (they come in versions %d, %d, %d, %d and %d)", version, modelVersionSettings, modelVersionPool, modelVersionEnsemble, modelVersionRecurrent, modelVersionNorm)
	}
	if err := l.end(); err != nil {
		return nil, err
	}
	return m, nil
}

// learnerVersion reports whether a file of version v may hold a body of
// learner kind: the versions Save writes for it, and modelVersionKinds,
// whose body may be a forest or gbdt. A body in a version that never held
// its kind (a forged version byte) is refused, not read.
func learnerVersion(kind string, v uint32) bool {
	switch kind {
	case LearnerForest:
		return v == modelVersion || v == modelVersionKinds || v == modelVersionSettings || v == modelVersionCrops || v == modelVersionMains
	case LearnerGBDT:
		return v == modelVersionKinds || v == modelVersionSettings || v == modelVersionCrops || v == modelVersionMains
	case LearnerCNN:
		return v == modelVersionCNN || v == modelVersionSettings || v == modelVersionPool || v == modelVersionEnsemble || v == modelVersionRecurrent || v == modelVersionNorm
	case LearnerGBDTSignet:
		return v == modelVersionFusion || v == modelVersionStack || v == modelVersionMembers
	}
	return false
}

// versionsOf lists the file versions that may hold learner kind
// (learnerVersion), as "1, 2 and 5".
func versionsOf(kind string) string {
	var vs []string
	for v := uint32(modelVersion); v <= modelVersionNorm; v++ {
		if learnerVersion(kind, v) {
			vs = append(vs, strconv.FormatUint(uint64(v), 10))
		}
	}
	if len(vs) < 2 {
		return strings.Join(vs, "")
	}
	return strings.Join(vs[:len(vs)-1], ", ") + " and " + vs[len(vs)-1]
}

// fileVersion returns the version Save writes for a model of info whose
// body is of version v: modelVersionMembers for a gbdt+signet model
// stacked over more than one tree model or network, modelVersionStack
// for one fused by a Stacker, modelVersionEnsemble for a seed ensemble
// of networks, modelVersionPool for a network whose global pooling is
// not the average (its header may also record spectrogram settings),
// modelVersionSettings when the header records spectrogram settings,
// modelVersionMains for signal features that remove mains lines,
// modelVersionCrops for signal features with crop views,
// modelVersionNorm (before all but the stacks) for a network with a group
// normalisation, modelVersionRecurrent (then) for a network with a
// recurrent layer, else v.
func (info *ModelInfo) fileVersion(v uint32) uint32 {
	l := info.Learner
	switch {
	case l.Stack != nil && (len(l.StackSets) > 0 || l.Networks != 0 || l.NetworksApart):
		return modelVersionMembers
	case l.Stack != nil:
		return modelVersionStack
	case l.CNN != nil && l.CNN.Arch.GroupNorm > 0:
		return modelVersionNorm
	case l.CNN != nil && l.CNN.Arch.Recurrent > 0:
		return modelVersionRecurrent
	case l.CNN != nil && len(l.CNN.Members) > 0:
		return modelVersionEnsemble
	case l.CNN != nil && l.CNN.Arch.GlobalPool != "":
		return modelVersionPool
	case info.Features.Spectrogram != nil:
		return modelVersionSettings
	case info.Features.mainsNotch():
		return modelVersionMains
	case info.Features.views() > 1:
		return modelVersionCrops
	}
	return v
}

// checkSignalVersion checks that the signal settings of spec come in file
// version v: mains removal in modelVersionMains only, crop views there or
// in modelVersionCrops, which has them always.
func checkSignalVersion(spec FeatureSpec, v uint32) error {
	switch views, mains := spec.views(), spec.mainsNotch(); {
	case mains != (v == modelVersionMains):
		return formatErr("mains removal (%v) in version %d (it comes in version %d, only there)", mains, v, modelVersionMains)
	case views > 1 && v != modelVersionCrops && v != modelVersionMains, views == 1 && v == modelVersionCrops:
		return formatErr("crops of the signal (%d views) in version %d (they come in versions %d and %d, always in %d)", views, v, modelVersionCrops, modelVersionMains, modelVersionCrops)
	}
	return nil
}

// modelReader reads a model file part by part, keeping the CRC of every
// byte read and the offset for error messages.
type modelReader struct {
	r   *io.LimitedReader
	crc hash.Hash32
	off int64
	buf bytes.Buffer
}

// read returns the next n bytes. The buffer grows as bytes arrive, so a
// count larger than the input allocates no more than the input holds.
// The slice is valid until the next call.
func (l *modelReader) read(n int, what string) ([]byte, error) {
	l.buf.Reset()
	got, err := io.CopyN(&l.buf, l.r, int64(n))
	l.crc.Write(l.buf.Bytes())
	l.off += got
	switch {
	case l.off > MaxModelBytes:
		return l.buf.Bytes(), formatErr("larger than %d bytes", MaxModelBytes)
	case err == io.EOF:
		return l.buf.Bytes(), formatErr("truncated at byte %d reading %s", l.off, what)
	case err != nil:
		return l.buf.Bytes(), err
	}
	return l.buf.Bytes(), nil
}

// forest reads the tree count, class and feature counts and the trees.
func (l *modelReader) forest(k, nf int) (*Forest, error) {
	b, err := l.read(12, "tree count")
	if err != nil {
		return nil, err
	}
	r := &reader{b: b}
	nTrees, nk, nnf := r.u32(""), r.u32(""), r.u32("")
	if nTrees < 1 || nTrees > MaxTrees {
		return nil, formatErr("%d trees (want 1 to %d)", nTrees, MaxTrees)
	}
	if int(nk) != k || int(nnf) != nf {
		return nil, formatErr("%d classes and %d features, header has %d labels and %d feature names", nk, nnf, k, nf)
	}
	f := &Forest{NumClasses: k, NumFeatures: nf}
	for ti := 0; ti < int(nTrees); ti++ {
		t, err := l.tree(ti, uint32(k), uint32(nf), probabilityLeaf)
		if err != nil {
			return nil, err
		}
		f.Trees = append(f.Trees, t)
	}
	return f, nil
}

// gbdt reads the round, class and feature counts, the base scores and the
// trees of gradient-boosted trees.
func (l *modelReader) gbdt(k, nf int) (*GBDT, error) {
	b, err := l.read(12+8*k, "round count")
	if err != nil {
		return nil, err
	}
	r := &reader{b: b}
	rounds, nk, nnf := r.u32(""), r.u32(""), r.u32("")
	if rounds < 1 || uint64(rounds)*uint64(k) > MaxTrees {
		return nil, formatErr("%d rounds of %d trees (want 1 to %d trees)", rounds, k, MaxTrees)
	}
	if int(nk) != k || int(nnf) != nf {
		return nil, formatErr("%d classes and %d features, header has %d labels and %d feature names", nk, nnf, k, nf)
	}
	g := &GBDT{NumClasses: k, NumFeatures: nf, Base: make([]float64, k)}
	for c := range g.Base {
		g.Base[c] = math.Float64frombits(r.u64(""))
		if !(math.Abs(g.Base[c]) <= MaxRawScore) {
			return nil, formatErr("base score %v", g.Base[c])
		}
	}
	for ti := 0; ti < int(rounds)*k; ti++ {
		t, err := l.tree(ti, 1, uint32(nf), rawScoreLeaf)
		if err != nil {
			return nil, err
		}
		g.Trees = append(g.Trees, t)
	}
	return g, nil
}

// leafCheck checks one value of a leaf; what names the value in errors.
type leafCheck struct {
	ok   func(float32) bool
	what string
}

var (
	probabilityLeaf = leafCheck{func(p float32) bool { return p >= 0 && p <= 1 }, "leaf probability"}
	rawScoreLeaf    = leafCheck{func(v float32) bool { return math.Abs(float64(v)) <= MaxRawScore }, "leaf raw score"}
)

// tree reads tree ti: its node and leaf counts, then its nodes and leaves
// of k values each.
func (l *modelReader) tree(ti int, k, nf uint32, check leafCheck) (Tree, error) {
	b, err := l.read(8, "node count")
	if err != nil {
		return Tree{}, err
	}
	r := &reader{b: b}
	nn, nl := r.u32(""), r.u32("")
	if nn < 1 || nn > MaxNodes || nl < 1 || nl > nn {
		return Tree{}, formatErr("tree %d: %d nodes and %d leaves", ti, nn, nl)
	}
	if b, err = l.read(int(nn)*20+int(nl)*int(k)*4, fmt.Sprintf("tree %d", ti)); err != nil {
		return Tree{}, err
	}
	// b holds every node and leaf (read checked its length): decoded in
	// place, without a length check per value.
	le := binary.LittleEndian
	t := Tree{Feature: make([]int32, nn), Threshold: make([]float64, nn), Left: make([]int32, nn), Right: make([]int32, nn), Leaf: make([]float32, int(nl)*int(k))}
	for i := range t.Feature {
		node := b[i*20 : i*20+20]
		t.Feature[i] = int32(le.Uint32(node))
		t.Threshold[i] = math.Float64frombits(le.Uint64(node[4:]))
		t.Left[i] = int32(le.Uint32(node[12:]))
		t.Right[i] = int32(le.Uint32(node[16:]))
		switch {
		case t.Feature[i] < 0:
			if t.Feature[i] != -1 || t.Left[i] < 0 || uint32(t.Left[i]) >= nl {
				return Tree{}, formatErr("tree %d node %d: bad leaf", ti, i)
			}
		default:
			if uint32(t.Feature[i]) >= nf || t.Left[i] <= int32(i) || t.Right[i] <= int32(i) ||
				uint32(t.Left[i]) >= nn || uint32(t.Right[i]) >= nn || math.IsNaN(t.Threshold[i]) {
				return Tree{}, formatErr("tree %d node %d: bad split", ti, i)
			}
		}
	}
	leaves := b[int(nn)*20:]
	for i := range t.Leaf {
		p := math.Float32frombits(le.Uint32(leaves[i*4:]))
		if !check.ok(p) {
			return Tree{}, formatErr("tree %d: %s %v", ti, check.what, p)
		}
		t.Leaf[i] = p
	}
	return t, nil
}

// end reads the checksum and checks that nothing follows it.
func (l *modelReader) end() error {
	sum := l.crc.Sum32()
	b, err := l.read(4, "checksum")
	if err != nil {
		return err
	}
	if binary.LittleEndian.Uint32(b) != sum {
		return formatErr("checksum mismatch (file truncated or damaged)")
	}
	var one [1]byte
	if n, _ := io.ReadFull(l.r, one[:]); n > 0 {
		return formatErr("unexpected bytes after the checksum at byte %d", l.off)
	}
	return nil
}

// validate checks the header of a loaded model.
func (in *ModelInfo) validate() error {
	if err := checkLabels(in.Labels); err != nil {
		return formatErr("%v", err)
	}
	if len(in.Thresholds) != len(in.Labels) {
		return formatErr("%d thresholds for %d labels", len(in.Thresholds), len(in.Labels))
	}
	for _, t := range in.Thresholds {
		if !(t >= 0 && t <= 1) {
			return formatErr("threshold %v out of [0, 1]", t)
		}
	}
	if err := in.Features.check(); err != nil {
		return formatErr("%v", err)
	}
	names := in.Features.Names()
	if len(names) != len(in.FeatureNames) || len(names) > maxFeatures {
		return formatErr("feature settings make %d features, header names %d", len(names), len(in.FeatureNames))
	}
	for i := range names {
		if names[i] != in.FeatureNames[i] {
			return formatErr("feature %d is %q, settings say %q", i, in.FeatureNames[i], names[i])
		}
	}
	return nil
}
