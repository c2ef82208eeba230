# The front door. `make test` is what CI runs (see .ci/run and README.md).
GO      ?= go
BIN     ?= bin/ecg
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
SHARED  ?= $(abspath ../shared)
WFDB    ?= $(abspath .cache/wfdb)
export CGO_ENABLED = 0

.PHONY: build test bench compare fuzz conformance check check-imports demo model model-image wfdb-tools scipy clean race pgo serve-deps

build:
	$(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(BIN) ./cmd/ecg

# Unit tests (no ../shared needed) plus integration tests that skip when
# ../shared/data is absent.
test:
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -tags purego ./classify/nn # the Go kernels the assembly must match

# The tests under the race detector (about 4 minutes on 2 cores; the
# detector needs cgo, unlike the builds).
race:
	CGO_ENABLED=1 $(GO) test -race -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./... | tee bench.txt

# Side-by-side timings against the WFDB Software Package (medians of RUNS=7).
compare: build wfdb-tools
	bash docs/bench/compare-tools.sh $(BIN) $(WFDB)/bin $(SHARED)/data/mitdb

# Profile-guided optimisation: cmd/ecg/default.pgo, which go build uses for
# bin/ecg, is the CPU profile of BenchmarkPGOWorkload (ecg beats over mitdb,
# spectro, stream; needs $(SHARED)). Rerun after large changes to hot code.
pgo:
	ECG_SHARED=$(SHARED) $(GO) test ./cmd/ecg -run '^$$' -bench PGOWorkload -benchtime 8x \
	  -cpuprofile cmd/ecg/default.pgo -o $$(mktemp -d)/ecg.test

# Each fuzz target for FUZZTIME (default 60s).
FUZZTIME ?= 60s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# The WFDB Software Package, built offline from ../shared/tools.
wfdb-tools: $(WFDB)/bin/rdsamp
$(WFDB)/bin/rdsamp:
	bash $(SHARED)/tools/build-wfdb.sh $(WFDB)

scipy:
	@/usr/bin/python3 -c 'import scipy.signal' 2>/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scipy >/dev/null)

# Cross-checks against the reference tools (rdsamp, rdann, bxb, scipy).
conformance: wfdb-tools scipy
	PATH=$(WFDB)/bin:$$PATH LD_LIBRARY_PATH=$(WFDB)/lib:$(WFDB)/lib64:$$LD_LIBRARY_PATH \
	  ECG_CONFORMANCE=1 ECG_SHARED=$(SHARED) $(GO) test -count=1 -run Conformance ./...

check: check-imports
	@test -z "$$(gofmt -l .)" || (gofmt -l .; echo 'gofmt: files above need formatting'; exit 1)
	$(GO) vet ./...
	$(GO) vet -tags harness ./... # the measurement harnesses must keep compiling
	$(GO) mod tidy && git diff --exit-code go.mod go.sum

# Debian's mosquitto, prometheus (promtool) and chromium for the ecg serve
# integration tests (idempotent; the tests skip without them).
serve-deps:
	bash .ci/serve-deps

# Packages import only what stands to their left in the data flow (docs/architecture.md).
check-imports:
	@bash .ci/check-imports

# The rhythm model embedded in ecg (internal/defaultmodel): the CinC 2017 shared
# set (short single-lead wearable recordings labelled N, AFIB, OTHER, NOISY) and
# one-minute windows of every MIT-BIH Arrhythmia Database record labelled by the
# reference rhythm (rhythms other than N and AFIB, and N windows with at least 1 %
# ectopic beats, as OTHER, the way the CinC labellers used it), trained on all of
# it; the report is a 5-fold CV grouped by patient. Same data and seed, same
# bytes; internal/defaultmodel/reproduce_test.go runs the same steps. Then the
# beat model (ecg beats --classify default): ecg train --beats on every mitdb
# record, trained on all of them, the report a 5-fold CV grouped by record; 50
# trees of depth 10 at most, for speed (chosen on DS1, docs/beats.md).
MODEL_DATA = .cache/rhythm-model
model: build
	rm -rf $(MODEL_DATA)
	$(GO) run ./internal/modelgen -db $(SHARED)/data/mitdb -out $(MODEL_DATA) -also $(SHARED)/data/cinc2017-train \
		-keep N,AFIB -other OTHER -ectopic-other 0.01
	$(BIN) train $(MODEL_DATA) --labels $(MODEL_DATA)/labels.csv --out internal/defaultmodel/rhythm.model \
		--label-map 'A=AFIB,O=OTHER,~=NOISY' --folds 5 --score-labels N,AFIB,OTHER --seed 1 \
		--learner forest --class-weight none --min-leaf 8 --crops 2 --crop-share 0.75
	$(BIN) train --beats $(SHARED)/data/mitdb --out internal/defaultmodel/beats.model --folds 5 --seed 1 --quiet \
		--trees 50 --max-depth 10
	$(MAKE) model-image

# The image network that ecg train --learner cnn --from default starts from
# (internal/defaultmodel/image.model): ecg spectro's images of 30 s strides
# of the CinC 2017 shared set (a shorter recording repeated to 30 s) and of
# the MIT-BIH records (MLII, rhythm labels; AFIB as AF, the rarer rhythms as
# Other), with beat-resolving STFT settings (IMAGE_STFT) in 512x32 images,
# in one folder whose spectro-params.json keeps what both archives share
# (the rendering and the stride: internal/sharedparams, which fails naming
# the file and the field if the two were rendered otherwise; the same bytes
# as the jq filter it replaces), and ecg train's temporal network with
# group normalisation on it (80 % of the records, seed 1; about 7.5 minutes
# of CPU, 1.4 GB). Same data and seed, same bytes:
# internal/defaultmodel/image_reproduce_test.go runs the same steps.
IMAGE_DATA = .cache/image-model
IMAGE_MAP  = AB=Other,AFIB=AF,AFL=Other,B=Other,BII=Other,IVR=Other,NOD=Other,P=Other,PREX=Other,SBR=Other,SVTA=Other,T=Other,VFL=Other,VT=Other
IMAGE_STFT = --stride 30s --nperseg 64 --noverlap 48 --nfft 128 --fmax 40 --size 512x32
model-image: build
	rm -rf $(IMAGE_DATA)
	$(BIN) spectro $(SHARED)/data/cinc2017-train/records --labels $(SHARED)/data/cinc2017-train/REFERENCE.csv \
		--label-map 'A=AF,~=Noisy,O=Other' --fill repeat $(IMAGE_STFT) --out $(IMAGE_DATA)/cinc --quiet
	$(BIN) spectro $(SHARED)/data/mitdb --label rhythm --signals MLII $(IMAGE_STFT) --out $(IMAGE_DATA)/mitdb --quiet
	mkdir -p $(IMAGE_DATA)/images
	cp -Rl $(IMAGE_DATA)/cinc/*/ $(IMAGE_DATA)/images/
	cp -Rl $(IMAGE_DATA)/mitdb/*/ $(IMAGE_DATA)/images/
	{ cat $(IMAGE_DATA)/cinc/manifest.csv; tail -n +2 $(IMAGE_DATA)/mitdb/manifest.csv; } > $(IMAGE_DATA)/images/manifest.csv
	$(GO) run ./internal/sharedparams -out $(IMAGE_DATA)/images/spectro-params.json \
		$(IMAGE_DATA)/cinc/spectro-params.json $(IMAGE_DATA)/mitdb/spectro-params.json
	$(BIN) train $(IMAGE_DATA)/images --label-map '$(IMAGE_MAP)' --learner cnn --cnn-arch temporal --cnn-norm group \
		--image-size 16x512 --class-weight none --seed 1 --out internal/defaultmodel/image.model --quiet

# The whole path on data embedded in the binary.
# The tour of ecg demo, then a short fleet (broker, ecg serve, five
# simulated wearables for about 20 s; skipped without mosquitto).
demo: build
	$(BIN) demo --out ecg-demo
	bash examples/fleet-demo.sh $(BIN) ecg-demo/fleet

clean:
	rm -rf bin .cache bench.txt
