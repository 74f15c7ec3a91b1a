import { fileURLToPath } from 'node:url';
import { describeRewardFnConformance } from '@rlaif/core/testing';
import { onnxReward } from '../src/index.js';

const model = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describeRewardFnConformance('onnx reward (BERT-style, 2 labels)', { makeRewardFn: () => onnxReward({ model: model('bert') }) });
describeRewardFnConformance('onnx reward (Qwen2-style, chat template, probability)', { makeRewardFn: () => onnxReward({ model: model('qwen2'), score: 'probability', batchSize: 2 }) });
