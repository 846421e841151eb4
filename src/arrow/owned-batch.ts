import { Data, RecordBatch, Vector } from 'apache-arrow';

/**
 * A batch that shares no memory with `borrowed`: every buffer (values, offsets, validity, type ids, views'
 * data, dictionaries, children) that lies in it is copied; the rest is kept as it is.
 *
 * Gathers copy selected rows but share dictionaries, and an unchanged batch is passed on whole; a batch read
 * in place from memory that will be reused (parquet-wasm's heap) must be detached so before it is kept.
 * @param batch the batch
 * @param borrowed the memory that will be reused
 * @returns `batch` itself when nothing of it lies in `borrowed`
 */
export function ownedBatch(batch: RecordBatch, borrowed: ArrayBufferLike): RecordBatch {
  const data = ownedData(batch.data, borrowed);
  return data === batch.data ? batch : new RecordBatch(batch.schema, data as typeof batch.data, batch.metadata);
}

function ownedData(data: Data, borrowed: ArrayBufferLike): Data {
  let changed = false;
  const own = <T extends ArrayBufferView | undefined>(array: T): T => {
    if (array === undefined || array === null || array.buffer !== borrowed) return array;
    changed = true;
    return (array as unknown as { slice(): T }).slice();
  };
  const children = data.children.map((child) => {
    const owned = ownedData(child, borrowed);
    if (owned !== child) changed = true;
    return owned;
  });
  const dictionary = data.dictionary === undefined ? undefined : ownedVector(data.dictionary, borrowed);
  if (dictionary !== data.dictionary) changed = true;
  const buffers = [own(data.valueOffsets), own(data.values), own(data.nullBitmap), own(data.typeIds)];
  const variadic = data.variadicBuffers.map((buffer) => own(buffer));
  if (!changed) return data;
  return new Data(data.type, data.offset, data.length, data.nullCount, buffers as never, children, dictionary, variadic);
}

function ownedVector(vector: Vector, borrowed: ArrayBufferLike): Vector {
  const datas = vector.data.map((data) => ownedData(data, borrowed));
  return datas.every((data, i) => data === vector.data[i]) ? vector : new Vector(datas);
}
