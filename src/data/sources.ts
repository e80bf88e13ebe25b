/**
 * Where the downloadable data sets come from and the checksums their files must have. This is the
 * one place addresses and hashes are pinned; `albench data fetch|verify|list` and the loaders read it.
 *
 * Provenance of the pinned values (none could be checked against the live files here: this machine
 * has no network; see each entry):
 * - MNIST .gz SHA-256: as pinned by ankane/torchvision-ruby lib/torchvision/datasets/mnist.rb and
 *   many independent copies; byte sizes 9,912,422 / 28,881 / 1,648,877 / 4,542 as printed by
 *   TensorFlow's classic MNIST downloader. Content (decompressed IDX) SHA-256 as listed by several
 *   independent projects that pin the raw files.
 * - Fashion-MNIST content SHA-256: computed here from Debian's dataset-fashion-mnist (whose IDX
 *   content equals the official files'); .gz SHA-256 of the official downloads as pinned by
 *   ankane/torchvision-ruby lib/torchvision/datasets/fashion_mnist.rb and others; MD5s as in
 *   Zalando's README.
 * - CIFAR-10 binary archive: SHA-256, size 170,052,171 bytes and MD5 c32a1d4ab5d03f1284b67883e8d87530
 *   (the MD5 the CIFAR page publishes); the six member files' SHA-256 as pinned by
 *   ankane/torchvision-ruby lib/torchvision/datasets/cifar10.rb.
 */
import type { DatasetName } from '../spec/types.js';

/** One file as the loader expects it on disk, and how to get it. */
export interface PinnedFile {
  /** Key the loader uses (`trainImages`, `data_batch_1`, …). */
  readonly key: string;
  /** File name on disk, without `.gz`. IDX files may also be stored gzipped as `<name>.gz`. */
  readonly name: string;
  /** SHA-256 of the file's content: IDX bytes after gunzip, or the raw CIFAR batch file. */
  readonly contentSha256: string;
  /** Size of the content in bytes (a cheap first check, and the progress total). */
  readonly contentBytes: number;
}

/** A file to download: an archive (CIFAR-10) or a gzipped IDX file (MNIST family). */
export interface RemoteFile {
  /** File name as served. */
  readonly fileName: string;
  /** Official address first; later entries are well-known mirrors tried if it fails. */
  readonly urls: readonly string[];
  /** SHA-256 of the bytes as served. */
  readonly sha256: string;
  readonly bytes: number;
  /** For the MNIST family: the download gunzips to this pinned file (verified by its content hash). */
  readonly unpacksTo?: string;
  /** For archives: tar members (path inside the archive → pinned file key) to extract. */
  readonly members?: Readonly<Record<string, string>>;
}

/** A data set whose files can be downloaded and verified. */
export interface DatasetSource {
  readonly name: Extract<DatasetName, 'mnist' | 'fashion-mnist' | 'cifar10'>;
  /** Name in messages, as its authors write it. */
  readonly displayName: string;
  /** Directory name under a data root (`<root>/<dirName>`). */
  readonly dirName: string;
  /** Extra directories searched after the user's (system packages). */
  readonly systemDirs: readonly string[];
  /** Sub-directories of a found directory also searched (the archive's own folder name). */
  readonly subDirs: readonly string[];
  readonly files: readonly PinnedFile[];
  readonly downloads: readonly RemoteFile[];
  /** Whether the loader also accepts `<name>.gz` (IDX files). */
  readonly gzipOk: boolean;
  readonly homepage: string;
  readonly licence: string;
}

const MNIST_URLS = (file: string) => [
  `http://yann.lecun.com/exdb/mnist/${file}`,
  // The address torchvision falls back to since the official one began refusing scripted downloads.
  `https://ossci-datasets.s3.amazonaws.com/mnist/${file}`,
];

export const MNIST_SOURCE: DatasetSource = {
  name: 'mnist',
  displayName: 'MNIST',
  dirName: 'mnist',
  systemDirs: [],
  subDirs: [],
  gzipOk: true,
  homepage: 'http://yann.lecun.com/exdb/mnist/',
  licence: 'LeCun, Cortes & Burges; CC BY-SA 3.0 as redistributed by most mirrors',
  files: [
    { key: 'trainImages', name: 'train-images-idx3-ubyte', contentBytes: 47_040_016, contentSha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db' },
    { key: 'trainLabels', name: 'train-labels-idx1-ubyte', contentBytes: 60_008, contentSha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5' },
    { key: 'testImages', name: 't10k-images-idx3-ubyte', contentBytes: 7_840_016, contentSha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7' },
    { key: 'testLabels', name: 't10k-labels-idx1-ubyte', contentBytes: 10_008, contentSha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2' },
  ],
  downloads: [
    { fileName: 'train-images-idx3-ubyte.gz', urls: MNIST_URLS('train-images-idx3-ubyte.gz'), bytes: 9_912_422, unpacksTo: 'trainImages', sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
    { fileName: 'train-labels-idx1-ubyte.gz', urls: MNIST_URLS('train-labels-idx1-ubyte.gz'), bytes: 28_881, unpacksTo: 'trainLabels', sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
    { fileName: 't10k-images-idx3-ubyte.gz', urls: MNIST_URLS('t10k-images-idx3-ubyte.gz'), bytes: 1_648_877, unpacksTo: 'testImages', sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
    { fileName: 't10k-labels-idx1-ubyte.gz', urls: MNIST_URLS('t10k-labels-idx1-ubyte.gz'), bytes: 4_542, unpacksTo: 'testLabels', sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
  ],
};

const FASHION_URLS = (file: string) => [
  `https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/${file}`,
  `http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/${file}`,
];

export const FASHION_MNIST_SOURCE: DatasetSource = {
  name: 'fashion-mnist',
  displayName: 'Fashion-MNIST',
  dirName: 'fashion-mnist',
  systemDirs: ['/usr/share/datasets/fashion-mnist'],
  subDirs: [],
  gzipOk: true,
  homepage: 'https://github.com/zalandoresearch/fashion-mnist',
  licence: 'Zalando SE, MIT',
  files: [
    { key: 'trainImages', name: 'train-images-idx3-ubyte', contentBytes: 47_040_016, contentSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888' },
    { key: 'trainLabels', name: 'train-labels-idx1-ubyte', contentBytes: 60_008, contentSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9' },
    { key: 'testImages', name: 't10k-images-idx3-ubyte', contentBytes: 7_840_016, contentSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b' },
    { key: 'testLabels', name: 't10k-labels-idx1-ubyte', contentBytes: 10_008, contentSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34' },
  ],
  downloads: [
    // MD5 8d4fb7e6c68d591d4c3dfef9ec88bf0d
    { fileName: 'train-images-idx3-ubyte.gz', urls: FASHION_URLS('train-images-idx3-ubyte.gz'), bytes: 26_421_880, unpacksTo: 'trainImages', sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84' },
    // MD5 25c81989df183df01b3e8a0aad5dffbe
    { fileName: 'train-labels-idx1-ubyte.gz', urls: FASHION_URLS('train-labels-idx1-ubyte.gz'), bytes: 29_515, unpacksTo: 'trainLabels', sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845' },
    // MD5 bef4ecab320f06d8554ea6380940ec79
    { fileName: 't10k-images-idx3-ubyte.gz', urls: FASHION_URLS('t10k-images-idx3-ubyte.gz'), bytes: 4_422_102, unpacksTo: 'testImages', sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073' },
    // MD5 bb300cfdad3c16e7a12a480ee83cd310
    { fileName: 't10k-labels-idx1-ubyte.gz', urls: FASHION_URLS('t10k-labels-idx1-ubyte.gz'), bytes: 5_148, unpacksTo: 'testLabels', sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5' },
  ],
};

const CIFAR_BATCH_BYTES = 10_000 * 3073;
const CIFAR_MEMBER_DIR = 'cifar-10-batches-bin';

export const CIFAR10_SOURCE: DatasetSource = {
  name: 'cifar10',
  displayName: 'CIFAR-10',
  dirName: 'cifar10',
  systemDirs: [],
  subDirs: [CIFAR_MEMBER_DIR],
  gzipOk: false,
  homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
  licence: 'Krizhevsky (2009); no licence stated, widely redistributed for research',
  files: [
    { key: 'data_batch_1', name: 'data_batch_1.bin', contentBytes: CIFAR_BATCH_BYTES, contentSha256: 'cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5' },
    { key: 'data_batch_2', name: 'data_batch_2.bin', contentBytes: CIFAR_BATCH_BYTES, contentSha256: 'a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed' },
    { key: 'data_batch_3', name: 'data_batch_3.bin', contentBytes: CIFAR_BATCH_BYTES, contentSha256: 'bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67' },
    { key: 'data_batch_4', name: 'data_batch_4.bin', contentBytes: CIFAR_BATCH_BYTES, contentSha256: '014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48' },
    { key: 'data_batch_5', name: 'data_batch_5.bin', contentBytes: CIFAR_BATCH_BYTES, contentSha256: '755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add' },
    { key: 'test_batch', name: 'test_batch.bin', contentBytes: CIFAR_BATCH_BYTES, contentSha256: '8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b' },
  ],
  downloads: [
    {
      fileName: 'cifar-10-binary.tar.gz',
      urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'],
      bytes: 170_052_171,
      sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
      members: Object.fromEntries(
        ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch'].map((k) => [`${CIFAR_MEMBER_DIR}/${k}.bin`, k]),
      ),
    },
  ],
};

export const DATASET_SOURCES: Readonly<Record<DatasetSource['name'], DatasetSource>> = {
  mnist: MNIST_SOURCE,
  'fashion-mnist': FASHION_MNIST_SOURCE,
  cifar10: CIFAR10_SOURCE,
};

export function isFetchable(name: string): name is DatasetSource['name'] {
  return Object.hasOwn(DATASET_SOURCES, name);
}
