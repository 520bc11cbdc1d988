/**
 * Chunks of GridFS uploads killed mid-way (a node SIGKILLed during a 1 GB intake). GridFS
 * writes a file's chunks first and its `files` document last, so such an upload leaves
 * chunks that no file names: neither the `pending-` scan of collectGarbage nor
 * deleteOrphans (both read `files`) ever sees them. A file id is an ObjectId made when the
 * upload opened, so it carries that time: chunk 0 of every upload opened since the last
 * sweep and before the grace cutoff is looked at once, through the chunks' own
 * (files_id, n) index, and removed when its file does not exist. The sweep's position is
 * kept in `<bucket>.gc`; nodes sweeping at once only repeat each other's checks.
 */
import { ObjectId, type Collection } from 'mongodb';

interface SweepMark {
  _id: string;
  /** Uploads opened before this id's time have been swept. */
  upTo: ObjectId;
}

const MARK = 'hodeloese-biter';

/** Finds and removes chunks whose upload never got its files document. */
export class GridFsChunkSweep {
  constructor(
    private readonly chunks: Collection,
    private readonly files: Collection,
    private readonly marks: Collection<SweepMark>,
  ) {}

  /** Sweeps uploads opened since the last sweep and before `before`; returns how many uploads' chunks it removed. */
  async run(before: Date): Promise<number> {
    const upTo = ObjectId.createFromTime(Math.floor(before.getTime() / 1000));
    const mark = await this.marks.findOne({ _id: MARK });
    if (mark !== null && mark.upTo.getTimestamp() >= upTo.getTimestamp()) return 0;
    const opened = mark === null ? { $lt: upTo } : { $gte: mark.upTo, $lt: upTo };
    let removed = 0;
    for await (const first of this.chunks.find({ files_id: opened, n: 0 }, { projection: { files_id: 1 } })) {
      const fileId = first['files_id'] as ObjectId;
      if ((await this.files.countDocuments({ _id: fileId }, { limit: 1 })) > 0) continue;
      await this.chunks.deleteMany({ files_id: fileId });
      removed += 1;
    }
    await this.marks.updateOne({ _id: MARK }, { $set: { upTo } }, { upsert: true });
    return removed;
  }
}
