#!/usr/bin/env bash
# Trains every architecture on the shared corpora and prints test accuracy, macro-F1 and (for
# sms_spam) MCC as a Markdown table, beside the published figures in the corpora's READMEs.
# Run from the repository root after `swift build -c release`; the corpora are read from
# ../shared/corpora and never copied. Every command it runs is printed to standard error.
set -euo pipefail
cli=.build/release/textclf
corpora=${CORPORA:-../shared/corpora}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Options per corpus: tokenizer and validation data.
declare -A corpus_options=(
    [trec]="--lowercase --valid-split 0.1"
    [sst2]="--level space --valid $corpora/sst2/valid.tsv"
    [sms_spam]="--lowercase --valid-split 0.1"
    [manpages_langid]="--lowercase --min-count 2 --valid-split 0.05"
)
declare -A published=(
    [trec]="Kim 2014 CNN-rand 91.2; BoW logistic regression 85–88"
    [sst2]="Kim 2014 CNN-rand 82.7 (trained on phrases); VecAvg 80.1"
    [sms_spam]="SVM 97.6 (other split); CNN/LSTM/fastText 98–99"
    [manpages_langid]="char-trigram naive Bayes 99.6"
)
# Options per architecture: the pool model (fastText's) wants a larger rate than Adam's 1e-3.
declare -A arch_options=(
    [pool]="--lr 0.01 --epochs 20"
    [rnn]="--epochs 10" [lstm]="--epochs 10" [gru]="--epochs 10" [cnn]="--epochs 10"
)
# The large corpus gets fewer epochs for the sequence models.
declare -A large_arch_options=(
    [pool]="--lr 0.01 --epochs 10"
    [rnn]="--epochs 3" [lstm]="--epochs 3" [gru]="--epochs 3" [cnn]="--epochs 3"
)

echo "| corpus | arch | accuracy | macro-F1 | MCC | train s | published |"
echo "|---|---|---:|---:|---:|---:|---|"
for corpus in ${ONLY_CORPORA:-trec sst2 sms_spam manpages_langid}; do
    for arch in ${ONLY_ARCHS:-pool rnn lstm gru cnn}; do
        options=${arch_options[$arch]}
        [ "$corpus" = manpages_langid ] && options=${large_arch_options[$arch]}
        command="$cli train --arch $arch --train $corpora/$corpus/train.tsv ${corpus_options[$corpus]} $options --quiet -o $work/model.safetensors"
        echo "$command" >&2
        start=$(date +%s.%N)
        $command
        seconds=$(echo "$(date +%s.%N) - $start" | bc)
        $cli test -m "$work/model.safetensors" "$corpora/$corpus/test.tsv" --json > "$work/report.json"
        python3 - "$work/report.json" "$corpus" "$arch" "$seconds" "${published[$corpus]}" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
corpus, arch, seconds, published = sys.argv[2:]
mcc = f"{report['mcc']:.3f}" if corpus == "sms_spam" else ""
print(f"| {corpus} | {arch} | {report['accuracy'] * 100:.2f} | {report['macro']['f1']:.3f} | {mcc} | {float(seconds):.0f} | {published} |")
PY
    done
done
