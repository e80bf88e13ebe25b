/** Classification metrics on the fixed test set. */

export interface TestMetrics {
  readonly accuracy: number;
  /** Unweighted mean of per-class F1 over the classes present in the labels or the predictions. */
  readonly macroF1: number;
}

/** probs: [n, classes] row-major, labels: [n] → accuracy and macro-F1 of the argmax predictions. */
export function evaluatePredictions(probs: Float32Array, labels: Int32Array, numClasses: number): TestMetrics {
  const n = labels.length;
  if (probs.length !== n * numClasses) throw new RangeError(`probs has ${probs.length} entries, expected ${n}×${numClasses}`);
  const tp = new Float64Array(numClasses);
  const predicted = new Float64Array(numClasses);
  const actual = new Float64Array(numClasses);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const guess = argmax(probs, i * numClasses, numClasses);
    predicted[guess]++;
    actual[labels[i]]++;
    if (guess === labels[i]) {
      correct++;
      tp[guess]++;
    }
  }
  // Same convention as scikit-learn's f1_score(average='macro'): classes absent from both the
  // labels and the predictions are left out; a class with no true positives scores 0.
  let f1Sum = 0;
  let classes = 0;
  for (let c = 0; c < numClasses; c++) {
    if (actual[c] === 0 && predicted[c] === 0) continue;
    classes++;
    f1Sum += (2 * tp[c]) / (actual[c] + predicted[c]);
  }
  return { accuracy: n === 0 ? NaN : correct / n, macroF1: classes === 0 ? NaN : f1Sum / classes };
}

/** Index of the largest of `length` values starting at `offset`; the first one wins a tie. */
export function argmax(values: ArrayLike<number>, offset: number, length: number): number {
  let best = 0;
  for (let j = 1; j < length; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}
