#!/usr/bin/env bash
# Trains every architecture on the shared corpora and prints test accuracy, macro-F1 and (for
# sms_spam) MCC as a Markdown table, beside the published figures in the corpora's READMEs.
# Each small corpus is trained with seeds 1, 2 and 3 (SEEDS) and the table gives the mean with
# the range of accuracy, since one test split of 500–1,800 examples moves a point or two
# between seeds; the large manpages_langid corpus gets seed 1 (LARGE_SEEDS).
# Run from the repository root after `swift build -c release`; the corpora are read from
# ../shared/corpora and never copied. Every command it runs is printed to standard error.
# ONLY_CORPORA and ONLY_ARCHS pick rows; EXTRA_OPTIONS is added to every train command.
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
# Options per architecture: pool keeps its fastText-like defaults (SGD, rate 8 decaying
# linearly to 0, no dropout) and trains longer.
declare -A arch_options=(
    [pool]="--epochs 20"
    [rnn]="--epochs 10" [lstm]="--epochs 10" [gru]="--epochs 10" [cnn]="--epochs 10"
)
# The large corpus gets fewer epochs for the sequence models.
declare -A large_arch_options=(
    [pool]="--epochs 10"
    [rnn]="--epochs 3" [lstm]="--epochs 3" [gru]="--epochs 3" [cnn]="--epochs 3"
)

echo "| corpus | arch | accuracy (range) | macro-F1 | MCC | train s | published |"
echo "|---|---|---:|---:|---:|---:|---|"
for corpus in ${ONLY_CORPORA:-trec sst2 sms_spam manpages_langid}; do
    seeds=${SEEDS:-1 2 3}
    [ "$corpus" = manpages_langid ] && seeds=${LARGE_SEEDS:-1}
    for arch in ${ONLY_ARCHS:-pool rnn lstm gru cnn}; do
        options=${arch_options[$arch]}
        [ "$corpus" = manpages_langid ] && options=${large_arch_options[$arch]}
        rm -f "$work"/report-*.json
        for seed in $seeds; do
            command="$cli train --arch $arch --train $corpora/$corpus/train.tsv ${corpus_options[$corpus]} $options ${EXTRA_OPTIONS:-} --seed $seed --quiet -o $work/model.safetensors"
            echo "$command" >&2
            start=$(date +%s.%N)
            $command
            echo "$(date +%s.%N) - $start" | bc > "$work/seconds-$seed"
            $cli test -m "$work/model.safetensors" "$corpora/$corpus/test.tsv" --json > "$work/report-$seed.json"
        done
        python3 - "$work" "$corpus" "$arch" "${published[$corpus]}" $seeds <<'PY'
import json, sys
work, corpus, arch, published, *seeds = sys.argv[1:]
reports = [json.load(open(f"{work}/report-{seed}.json")) for seed in seeds]
seconds = [float(open(f"{work}/seconds-{seed}").read()) for seed in seeds]
mean = lambda values: sum(values) / len(values)
accuracies = [r["accuracy"] * 100 for r in reports]
spread = f" ({min(accuracies):.1f}–{max(accuracies):.1f})" if len(reports) > 1 else ""
mcc = f"{mean([r['mcc'] for r in reports]):.3f}" if corpus == "sms_spam" else ""
print(f"| {corpus} | {arch} | {mean(accuracies):.1f}{spread} | {mean([r['macro']['f1'] for r in reports]):.3f} | {mcc} "
      f"| {mean(seconds):.0f} | {published} |", flush=True)
PY
    done
done
