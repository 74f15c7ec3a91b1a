/** Token id lists to the int64 tensors a transformers classifier exported to ONNX takes. */
import { DataError } from '@rlaif/core';
import { Tensor } from 'onnxruntime-node';

/** The inputs transformers' exports use; token_type_ids are all 0 (one segment), position_ids count from 0. */
export const KNOWN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids', 'position_ids'] as const;

/** Checks the graph asks only for inputs this package can fill; names the file and the input otherwise. */
export function checkInputs(inputNames: readonly string[], onnxFile: string): void {
  const unknown = inputNames.filter((name) => !(KNOWN_INPUTS as readonly string[]).includes(name));
  if (unknown.length > 0 || !inputNames.includes('input_ids')) {
    const problem = unknown.length > 0 ? `takes inputs this reward runner cannot fill: ${unknown.join(', ')}` : 'has no input_ids input';
    throw new DataError(`the ONNX graph ${problem} (it takes ${inputNames.join(', ')})`, onnxFile, undefined, {
      hint: `export a sequence-classification model whose inputs are among ${KNOWN_INPUTS.join(', ')} (optimum-cli export onnx --task text-classification)`,
    });
  }
}

/**
 * Right-pads `rows` with `padId` (the id config.json names, which decoder classifiers use to find
 * each row's last token) and builds one tensor per input name.
 */
export function batchFeeds(rows: readonly (readonly number[])[], padId: number, inputNames: readonly string[]): Record<string, Tensor> {
  const width = Math.max(...rows.map((row) => row.length));
  const shape = [rows.length, width];
  const ids = new BigInt64Array(rows.length * width).fill(BigInt(padId));
  const mask = new BigInt64Array(rows.length * width);
  const positions = new BigInt64Array(rows.length * width);
  rows.forEach((row, r) => {
    row.forEach((id, i) => {
      ids[r * width + i] = BigInt(id);
      mask[r * width + i] = 1n;
      positions[r * width + i] = BigInt(i);
    });
  });
  const tensors: Record<string, BigInt64Array> = {
    input_ids: ids,
    attention_mask: mask,
    token_type_ids: new BigInt64Array(rows.length * width),
    position_ids: positions,
  };
  return Object.fromEntries(inputNames.map((name) => [name, new Tensor('int64', tensors[name]!, shape)]));
}
