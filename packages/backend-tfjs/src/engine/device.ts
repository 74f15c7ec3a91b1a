import os from 'node:os';
import { tf } from './tf.js';

/** What TensorFlow runs on, logged at load. */
export interface EngineInfo {
  /** 'gpu (cuda)' when the linked libtensorflow placed ops on a GPU, else 'cpu'. */
  readonly device: string;
  /** The libtensorflow the addon links (from its C API, e.g. 2.21.0). */
  readonly libtensorflow: string;
  /** Intra-op threads: TF_NUM_INTRAOP_THREADS when set, else TensorFlow's default of one per core. */
  readonly threads: number;
}

interface NodeBackendLike {
  readonly isUsingGpuDevice?: boolean;
  readonly binding?: { readonly TF_Version?: string };
}

/** Reads the device, library version and thread count of the tensorflow backend. */
export function engineInfo(): EngineInfo {
  const backend = tf.backend() as unknown as NodeBackendLike;
  const configured = Number.parseInt(process.env['TF_NUM_INTRAOP_THREADS'] ?? '', 10);
  return {
    device: backend.isUsingGpuDevice ? 'gpu (cuda)' : 'cpu',
    libtensorflow: backend.binding?.TF_Version ?? 'unknown',
    threads: configured > 0 ? configured : os.availableParallelism(),
  };
}
