// The catalogue of public data sets the project reads, for `crystal-gan download-data` and the
// editor's "Download Datasets" command: where each file comes from (a public URL pinned to a commit
// where one exists), where it goes under the data directory (the layout resolveDataDir() readers
// expect), its expected SHA-256 when we know it, its licence, and the conversion step when the
// public file's format differs from our layout. docs/data-sources.md explains every entry, and
// which sets cannot be fetched at all (they are listed here with `manual` so the CLI can say so).
export const MATBENCH_FOLD_SEED = 18012019;

/** How a downloaded file becomes the file the project reads. */
export type Conversion =
  /** Matbench pandas "split" JSON (gzip) → CSV `formula,target,fold` with the Matbench v0.1 folds. */
  | { kind: 'matbench-json-gz' }
  /** CSV `formula,target` in Matbench row order → the same CSV with a `fold` column appended. */
  | { kind: 'append-matbench-folds' }
  /** CSV → CSV keeping (and renaming) the listed columns, in this order: [source, target] pairs. */
  | { kind: 'select-columns'; columns: [string, string][] };

export interface CatalogFile {
  /** Where the file goes, relative to the data directory, with forward slashes. */
  path: string;
  /** Public origin. */
  url: string;
  /** SHA-256 of the downloaded bytes; null = unknown, recorded in the manifest on first download. */
  sha256: string | null;
  conversion?: Conversion;
}

/** A file the project makes from a data set's downloaded files (no public URL of its own). */
export interface DerivedFile {
  path: string;
  kind: 'magpie-preset22-raw' | 'magpie-preset22-imputed';
  /** SHA-256 of the result; ours, rebuilt byte for byte from the tables. */
  sha256: string | null;
}

export interface CatalogDataset {
  name: string;
  description: string;
  licence: string;
  /**
   * exact: our copy is byte-identical to the origin (checksummed); converted: a conversion step makes
   * our layout; unverified: a public URL whose content may differ from our copy; manual: no public URL.
   */
  availability: 'exact' | 'converted' | 'unverified' | 'manual';
  files: CatalogFile[];
  /** Files built from this set's files once they are all in place. */
  derived?: DerivedFile[];
  /** For manual sets: what to do instead. */
  note?: string;
}

const MATMINER = 'https://raw.githubusercontent.com/hackingmaterials/matminer/8ddb18c74064ab3668d7b5aed7c360abdfdae5de/src/matminer/utils/data_files';
const CRABNET = 'https://raw.githubusercontent.com/anthony-wang/CrabNet/457b4d4835737ecbe4dd33e53174bd818bd82143/data';
// Short commit ids, as SOURCE.md records them; the checksums pin the content either way.
const SMACT = 'https://raw.githubusercontent.com/WMD-group/SMACT/d1a17d70/smact/data';
const CDVAE = 'https://raw.githubusercontent.com/txie-93/cdvae/f857f598d6f6/data';
const ROOST = 'https://raw.githubusercontent.com/CompRhys/roost/aaabc34d6ee6ac788e36f1c759c0582a997ea9b9/data/datasets/roost';
const HU2020 = 'https://raw.githubusercontent.com/Chilitiantian/code/726d0874d64c3897aafb4c8a41c4f788524e967a/data';
const STANEV = 'https://raw.githubusercontent.com/vstanev1/Supercon/6e56e577b2239ebb6bebdcaeefc9ba470a3d5ce5';
const OQMD_POSCAR = 'http://oqmd.org/materials/export/primitive/poscar';

/** SHA-256 of the 65 Magpie element tables (identical to matminer's at the pinned commit). */
const MAGPIE_TABLES: [string, string][] = [
  ['AllenElectronegativity', '0bd8f0d9235f552587b2b799e9afdbf391c392fc15cf759793248c5e3e1a634c'],
  ['AtomicRadius', '6961ea9175391e28bd891fee7e5e5376acc06451daaf104c6fc6c9c02c2d7daf'],
  ['AtomicVolume', 'd44f20f50fa224661a1861c32b7bbdb49cb00b28d7ffca8cd973c28f1cfbcfcf'],
  ['AtomicWeight', '8ce536156435dbf45f41ae91d96a2bff8139dbec8bbf0f74bfc412db9cfd7049'],
  ['BoilingT', '4e5d510618c84675b93545cf8fc88158d20dcd33e8ba106d4ff15660f301c562'],
  ['BulkModulus', 'e67cea95d5debeb400f93b5695af653412bda499e30b7d351f75a51e562bf5ba'],
  ['Column', '8f74e08e661510c6623dda8ea18e191ad82186d6a23559a79555c4e59e06a24e'],
  ['CovalentRadius', 'a291a255ae3a9fef4f73a9cd873fb1aba482066b1e1f373477c5b164c910d8dc'],
  ['Density', '1aac78ba14ab9ddaff81f6fd06b651e0fc4d758a1c0c8fef5ea2d862f4a60ece'],
  ['DipolePolarizability', '3dd85b7b015c71be1785fa461a66521a3bc358c8e13159e3dcc26f0487d7673f'],
  ['ElectronAffinity', '2055f0bf83c7f5e5c8568929544a9f83bb36267cb6cf1601cea4dcc29391da0c'],
  ['Electronegativity', 'c1801e33c604750c4d7e93765fa008c7f7e501ddbf328a0b180af42cc088f64b'],
  ['FirstIonizationEnergy', '3d9db0c74ca5f7b9cbbc41b3b7e7e05a1cf0dda84b0d449ea55264a5180afe30'],
  ['FusionEnthalpy', '338fe0f06ba9dcda9a213baed1c69612d2b74ec40d326c102cb15864d8e0df5a'],
  ['GSbandgap', 'd8036ebdfa12754bafd0ee94063027009ea0020c95ed14d88359edc6af0163d8'],
  ['GSenergy_pa', '173928d55c729af0fe64713b3c909c312cd90c05bb16af9004b06f128da12997'],
  ['GSestBCClatcnt', '030633453adba0feeff41bcb193b36931161f179d46612c3b9f1aadc91c66195'],
  ['GSestFCClatcnt', '10122ff2e8142595c0e4ccdca92c2da8b7c307a1ecd87bd07e2ccf6aa6c0268b'],
  ['GSmagmom', 'f7e358df6982f25835706bf766281df3c65858534500a47f18737cacc4a4cf16'],
  ['GSvolume_pa', '3bb7a4d5951ac6a7e55908231bd108fd3531a1b3c04fafe7b4e553c799a3df96'],
  ['HHIp', 'ea1b10fc600c5466a6fc4f65c67ffd596bada7e4c6a1b333ddf7f49e72a23de9'],
  ['HHIr', '638331c59850a883a2e02141e474b6cf2dfd7f5d363c57055fe731d1ee45a2e0'],
  ['HeatCapacityMass', 'a2d345d4be2612b65e790f0992171a3a027d0606f0233d8ee5c335ce52b1a759'],
  ['HeatCapacityMolar', '57e5c9241d2380da1957e2950919146cbd251b11a8317d128e847532240ce41d'],
  ['HeatFusion', 'c3e0c14337f966926bc9f50fef719ff8552ff29bad1052f10c69a55c401385e5'],
  ['HeatVaporization', 'dd59e584f25754bcfefa4c3493e8bd97074f594625445abdbd70b148e8e166b4'],
  ['ICSDVolume', '9a5e102fa08d6272f896354cf1eec6206ffeb318a7289e680fcae654742d30e5'],
  ['IonizationEnergies', '8acbe7fb952e24198bedd79915067e689ff8e5aa0a2c6c03f86f35404856a480'],
  ['IsAlkali', '115536a1c194ceb51e09cd97bc1ce53bdcbd25179222fa084c22f87015b984e1'],
  ['IsDBlock', '6b3bca675700affec944ce5572543807942c887400e1286303ad289d2d8b8945'],
  ['IsFBlock', '409e4b558dfad43c0241ef10a8582d7b520e53d1e171dfed88a8074d535f07f7'],
  ['IsMetal', '2aac2f25f66e90f8fdef257647d9239e826ae6d5ee59cff0902aa928f43e3413'],
  ['IsMetalloid', '1ea06f30777617b1f0ddbd37f8b18c255f1b7d0ce71ee9027f9b300a325be9e2'],
  ['IsNonmetal', 'b81e83e3ffc6b4f5e4c2a184c30b8b2c0793d4e4ea79fbbb7aef5619e14c0413'],
  ['LogThermalConductivity', '877691f714092c03ca287156ab70dc3e99e05d80b90d959ab649164310785145'],
  ['MeltingT', 'd5d52d5292dd9788bd326543a1f33219b34c141b863d5594ca212ca63205f02f'],
  ['MendeleevNumber', '0169c98f87bc2069239122e122cbee13d95097e60debdf281b2202e6b785bf83'],
  ['MiracleRadius', 'cd5bf8fb5dee765f3582b0960cd0b96a8efcf417a4e501e44afb8e3fdad048f7'],
  ['MolarVolume', '306289ad84031d30d1bf25361a41cc6f85f08f6b94d81fc68c374b1029636020'],
  ['NUnfilled', 'bbece39935e94c5f8b9636b3d5e6cd5791e8816f883a9c41deecd9b1280169fc'],
  ['NValence', 'a5dc833fd5f660d233cc752fece5501a81d61ad69120ee3736cd059979047b4b'],
  ['NdUnfilled', '63ae6f8c059d282822359092324714908a7438bde7a18f4b50545dc9a5d1cc3b'],
  ['NdValence', 'b9a3f4ee220653c1d955aec3e1158a10dc2cd69258a2de5571e4aebd670234f0'],
  ['NfUnfilled', '99439efb794eae0b974838b065fdc31fc1f81242a1086df6a3c38dd22182619d'],
  ['NfValence', '80869e70654b4151c6be142847f56de1966323685071c21a1bbcd16437d2a2e2'],
  ['NpUnfilled', 'b810d9973da04e3b840d94d9dbdf8a96f0e49a6610ae1fffeed48a244ee8e8b9'],
  ['NpValence', 'f4984b992230957bdd90ee7e1d83232966928840aec0a3e0d917148ceadc5817'],
  ['NsUnfilled', 'bbdfa61b8a94af91763255315f3040aa4afa0e3acae56a45e9ade8a8bab03c8f'],
  ['NsValence', '71b75922317cb942599b198fb26155dfb5cadcfe45d08a28361997dec03a663e'],
  ['Number', '8fc501dc139d079d940dfeb1e9e56b2b32a9f935fc11d1eaac409ae2947ba045'],
  ['OxidationStates', '7592980a54554159c73513c9a5b74cbf5aa227f8f411edc2bac4aeccd7013054'],
  ['Polarizability', '5335aff9e2c47935527c4ff1861ec981f7a9b232dfb23f5523c5337f98ee2fc1'],
  ['Row', 'a6e0f8a4fd85b4cb74dd57a35513d2f348d054b056b6f781c8da6803c86c961c'],
  ['SecondIonizationEnergy', '9c990dd457a43420b7e462f8ca3b2e91dc6387625918b62a37f33ce3dfcff2e6'],
  ['ShearModulus', '6e889e6e5369d9e2981af89b86a13293c236630439945874e9e4171cf271e164'],
  ['SpaceGroupNumber', '5bdba4df7fb2c6d86990cc1e500685c21e39d0ed7b771a8810d88c3e97d7092a'],
  ['ThermalConductivity', '01946932e03549d103dafc6c17f4353b69b8992672e6830a1315d568ba7c4beb'],
  ['VdWRadius', 'bc7767ffecbd0267f0285bb5fe690f2da1c9919e5e34b2406733de0f3b3cba59'],
  ['ZungerPP-r_d', '926a609ee20b2fc5e7421608d68036c081c48e25756ee72e543922745494fccb'],
  ['ZungerPP-r_p', 'bb71b41e62bd907b6aac9edd59eb2cbe1945800c065c68030f3282a303af695e'],
  ['ZungerPP-r_pi', 'a5430cbbfa3952ded86a1cd9c3ae4dd3a06dcfe20acaae6b3a39cc0b0a582614'],
  ['ZungerPP-r_s', '36105772601c6772b53092c74dbceace7891db6d62b93a8411a733f175ac85e8'],
  ['ZungerPP-r_sigma', 'af05fa80b75b33d2c92c5483555ae5489a3107005c95c99d51dcfb0b516a95bd'],
  ['n_ws^third', '8e6001dbe257b82442599aa3d9da1532a7e83d862976ef6298b2b5949ab4e90e'],
  ['phi', '187949662d67f6b0ec87a56bb14565467bd63eb5fd796ac36f55670ff9072769'],
];

/** OQMD entry id → structure ids of the 267 Nb–O POSCARs (nbo/poscar/<entry>/<structure>.vasp). */
const NBO_POSCARS =
  '2921:48375,48495,64636,64637,64638,64639,2953170,2953195 ' +
  '3586:67740,67741,67742,67743,1280853,1285564,3023807,3030350,3031357 ' +
  '6924:35363,36354,37036,85456,85457,85458,85459,85460,85461,85462,85463,85464,85465,2018584,2019398,2020008,2936357,2936553,2937091 ' +
  '7133:86507,86508,86509,86510,1772276,1772777 ' +
  '10057:48143,49063,49340,99298,99299,99300,99301,2953663,2953695 ' +
  '31135:63013,65069,1880156,1880157,1880158,1880159,2955449,2955549,2955592 ' +
  '37438:3493345,3496909,3498565,3499323 43810:2023896,2023918,3344509,3353613,3355226 ' +
  '298666:427759,427760,427761,427762,427763 300032:434488,434489,434490,434491,434492 ' +
  '305021:459433,459434,459435,459436,459437,1077471,1077474 309204:480671,480672,480673,480674,480675 ' +
  '310574:487964,487965,487966,487967,487968 319746:535532,535533,535534,535535,535536 ' +
  '321116:542281,542282,542283,542284,542285 326105:566918,566919,566920,566921,566922,1279182,1279183 ' +
  '336563:619598,619599,619600,619601,619602,1295254,1295255 344232:657881,657882,657883,657884,657885 ' +
  '345602:664694,664695,664696,664697,664698 ' +
  '354917:710950,710951,710952,710953,710954,902787,947656,995845 ' +
  '360246:738124,738125,738126,738127,738128,2043396,2054708,2054860 ' +
  '428034:1069324,1903181,1904004,1904695 ' +
  '614640:1833039,1833636,1833638,1889747,1889748,1889749,1889750,2944278,2944473,2944516 ' +
  '646676:1892709,1892710,1892711,1892712,1892713,1892714,2955428,2955479,2955513 ' +
  '678200:1942296,1983917,1986504 1104207:3706044,3706045,3706046,3706047,3706048 ' +
  '1223499:4089359,4131547,4131548,4131549,4131550 1230470:4096407,4148121,4148122,4148123,4148124 ' +
  '1233956:4099893,4154717,4154718,4154719,4154720 ' +
  '1239659:4378398,4471230,4471263,4471300,4471321,4471346 ' +
  '1239660:4378399,4471232,4471270,4471307,4471330,4471362 ' +
  '1281161:4753427,4753428,4753429,4753430,4753431 1281404:4754642,4754643,4754644,4754645,4754646 ' +
  '1338392:5147571,5147600,5147881,5149405,5151159,5151213 ' +
  '1343159:5172140,5172283,5202346,5203097,5203149 1344128:5179490,5179491,5179492,5179493,5179494 ' +
  '1361024:5214950,5236847,5236848,5236849 1439728:5668415,5669885,5672593,5673401 ' +
  '1439744:5693895,5694453,5695493,5695850 1440465:5654077,5659731,5662107,5664158 ' +
  '1440803:5654277,5659852,5662198 1441033:5696360,5697482,5697852,5698012 ' +
  '1441200:5696397,5697122,5697485,5697768 1441994:5692308,5692749,5693150,5693449 ' +
  '1442558:5674072,5674757,5675397 1442801:5674135,5674803,5675450 ';

function nboPoscarFiles(): CatalogFile[] {
  return NBO_POSCARS.trim().split(/\s+/).flatMap((group) => {
    const [entry, ids] = group.split(':');
    return ids.split(',').map((id) => ({ path: `nbo/poscar/${entry}/${id}.vasp`, url: `${OQMD_POSCAR}/${id}`, sha256: null }));
  });
}

export const CATALOG: CatalogDataset[] = [
  {
    name: 'magpie',
    description: 'Magpie elemental property tables (Ward et al. 2016) as shipped by matminer',
    licence: 'matminer LBNL BSD-style licence (LICENSE.matminer.txt); values from Magpie / Mathematica ElementData',
    availability: 'exact',
    files: [
      ...MAGPIE_TABLES.map(([name, sha256]) => ({ path: `elements/magpie/${name}.table`, url: `${MATMINER}/magpie_elementdata/${name}.table`, sha256 })),
      { path: 'elements/magpie/README.txt', url: `${MATMINER}/magpie_elementdata/README.txt`, sha256: '5f5ed8353ff783e465dd802268b0fe3e8735883cbf4991209735c6067af2af0b' },
      { path: 'elements/magpie/magpie_elementdata_feature_descriptions.txt', url: `${MATMINER}/magpie_elementdata_feature_descriptions.txt`, sha256: '6eaf5f8ff79d8eeffa6b11f5874cfcdd8fa131a0ee397d259516ede44e60e902' },
      { path: 'elements/magpie/LICENSE.matminer.txt', url: 'https://raw.githubusercontent.com/hackingmaterials/matminer/8ddb18c74064ab3668d7b5aed7c360abdfdae5de/LICENSE', sha256: 'e4df766c6937dad4a0f0646e2afbbc1689aacb3a0c30db687acbd86f73083cc4' },
    ],
    // The 22 "magpie" preset properties for Z = 1..112, raw and with matminer's mean imputation.
    derived: [
      { path: 'elements/magpie/magpie_preset22_raw.csv', kind: 'magpie-preset22-raw', sha256: '000255faa47ed4a677ae833577c1e7e32dc4918ae9ae47a7be1928c28624a52c' },
      { path: 'elements/magpie/magpie_preset22_imputed.csv', kind: 'magpie-preset22-imputed', sha256: 'c8e921c9dd66bab8c622ba5f626773567618edfc733ec02fb461d60c14b2b4d0' },
    ],
  },
  {
    name: 'smact',
    description: 'SMACT oxidation-state and element tables (CDVAE compositional validity)',
    licence: 'MIT (LICENSE.smact)',
    availability: 'exact',
    files: [
      { path: 'smact/oxidation_states.txt', url: `${SMACT}/oxidation_states.txt`, sha256: 'd5d93f85e53413e82313f6c18750ec82c402e899b83298c6aefe6e7c47b83f25' },
      { path: 'smact/oxidation_states_icsd24_filtered.txt', url: `${SMACT}/oxidation_states_icsd24_filtered.txt`, sha256: '527538c878754ce49181038611b1a23aac09ee1505469de5609decc937ed063c' },
      { path: 'smact/element_data.txt', url: `${SMACT}/element_data.txt`, sha256: 'db13979dd32dd833e08262edc1a4da2e8a31b81446f088f06920365df10f470e' },
      { path: 'smact/LICENSE.smact', url: 'https://raw.githubusercontent.com/WMD-group/SMACT/d1a17d70/LICENSE', sha256: 'c119c12ecde7a0f02f0e2a2120e760378c16959d70a30aa518dafc4b500696e1' },
    ],
  },
  {
    name: 'smact-derived',
    description: 'element_lists.json (parsed from smact/__init__.py) and cdvae_comp_scaler.json (from cdvae constants.py)',
    licence: 'MIT (SMACT, CDVAE)',
    availability: 'manual',
    files: [],
    note: 'extracted from Python source by hand (no data file upstream); copy smact/*.json from a full data directory',
  },
  {
    name: 'perov-5',
    description: 'CDVAE Perov-5 val/test splits (P1 CIFs in CSV)',
    licence: 'MIT (CDVAE curation); Computational Materials Repository (Castelli et al. 2012)',
    availability: 'exact',
    files: [
      { path: 'structures/perov_5/val.csv', url: `${CDVAE}/perov_5/val.csv`, sha256: '326f401219901270374b71e2faff63df3a29a99fd26f469993b9f476b693daf2' },
      { path: 'structures/perov_5/test.csv', url: `${CDVAE}/perov_5/test.csv`, sha256: 'a85878c685037f0a578257f6d4fcdde00e968dbab73c5f1e90ecef65218513f6' },
      { path: 'structures/perov_5/README.md', url: `${CDVAE}/perov_5/README.md`, sha256: '4c9f79f5fddafde4857c87230581ddb11aa39a1b98eed2199d10e8635aa98476' },
    ],
  },
  {
    name: 'carbon-24',
    description: 'CDVAE Carbon-24 val/test splits (P1 CIFs in CSV)',
    licence: 'MIT (CDVAE curation); Pickard 2020, Materials Cloud 2020.0026/v1',
    availability: 'exact',
    files: [
      { path: 'structures/carbon_24/val.csv', url: `${CDVAE}/carbon_24/val.csv`, sha256: '36c00689cd63073c954a58bc6ed6e2adb7aeed5a630c994970959a1babffd50e' },
      { path: 'structures/carbon_24/test.csv', url: `${CDVAE}/carbon_24/test.csv`, sha256: '386b17c08816f434818d51e46687bf72ff3f92348f3ba24823e4758f1fe8a969' },
      { path: 'structures/carbon_24/README.md', url: `${CDVAE}/carbon_24/README.md`, sha256: '4c185b75092769e052537233e8a0063df9ba1fd2a382c75431e56ee11bfa3906' },
    ],
  },
  {
    name: 'mp-20',
    description: 'MP-20 prefixes (first 847/123/142 rows of the CDVAE splits)',
    licence: 'Materials Project CC BY 4.0',
    availability: 'manual',
    files: [],
    note: 'the prefixes come from a commit of a fork (OPRYAN90/cdvae 437566b) that later history replaced; the full splits are Git LFS objects. Copy structures/mp_20_head/ from a full data directory',
  },
  {
    name: 'expt-gap-matbench',
    description: 'matbench_expt_gap (Zhuo et al. 2018, deduplicated) with the Matbench v0.1 folds',
    licence: 'Matbench (MIT); data from Zhuo et al. 2018 SI',
    availability: 'converted',
    files: [{ path: 'composition/expt_gap_matbench/expt_gap.csv', url: 'https://ml.materialsproject.org/projects/matbench_expt_gap.json.gz', sha256: null, conversion: { kind: 'matbench-json-gz' } }],
  },
  {
    name: 'mp-gap-matbench',
    description: 'matbench_mp_gap, composition only (CrabNet copy) with the Matbench v0.1 folds',
    licence: 'MIT (CrabNet); Materials Project CC BY 4.0',
    availability: 'converted',
    files: [{ path: 'composition/mp_gap_matbench/mp_gap.csv', url: `${CRABNET}/matbench/mp_gap.csv`, sha256: null, conversion: { kind: 'append-matbench-folds' } }],
  },
  {
    name: 'mp-e-form-matbench',
    description: 'matbench_mp_e_form, composition only (CrabNet copy) with the Matbench v0.1 folds',
    licence: 'MIT (CrabNet); Materials Project CC BY 4.0',
    availability: 'converted',
    files: [{ path: 'composition/mp_e_form_matbench/mp_e_form.csv', url: `${CRABNET}/matbench/mp_e_form.csv`, sha256: null, conversion: { kind: 'append-matbench-folds' } }],
  },
  {
    name: 'mp-hf-critexam',
    description: 'MP formation energies of Bartel et al. 2020, CrabNet train/val split (test withheld)',
    licence: 'MIT (CrabNet); Materials Project CC BY 4.0',
    availability: 'exact',
    files: [
      { path: 'composition/mp_hf_critexam/train.csv', url: `${CRABNET}/benchmark_data/CritExam__Ef/train.csv`, sha256: 'bc6fcccee279f311068af68b3fa480a6ddb4bb3e3aefd1087a7dbab890a1a894' },
      { path: 'composition/mp_hf_critexam/val.csv', url: `${CRABNET}/benchmark_data/CritExam__Ef/val.csv`, sha256: '2e72352e4f900f3713129d8db2faa3ae4c87c812f6c8f0d02e1473151255aec7' },
    ],
  },
  {
    name: 'oqmd-bandgap',
    description: 'OQMD band gaps, CrabNet train/val split (test withheld)',
    licence: 'MIT (CrabNet); OQMD CC BY 4.0',
    availability: 'exact',
    files: [
      { path: 'composition/oqmd_bandgap/train.csv', url: `${CRABNET}/benchmark_data/OQMD_Bandgap/train.csv`, sha256: '4a3dab191708a8946c3816e42c42909bd4403b594ee57d580643e57aa73d57a3' },
      { path: 'composition/oqmd_bandgap/val.csv', url: `${CRABNET}/benchmark_data/OQMD_Bandgap/val.csv`, sha256: '7102fbd322fb2c5b3f052257969343406388121470729420dce7f1a361836030' },
    ],
  },
  {
    name: 'oqmd-hf',
    description: 'OQMD formation enthalpies, CrabNet val split only (train unavailable, test withheld)',
    licence: 'MIT (CrabNet); OQMD CC BY 4.0',
    availability: 'exact',
    files: [{ path: 'composition/oqmd_hf/val.csv', url: `${CRABNET}/benchmark_data/OQMD_Formation_Enthalpy/val.csv`, sha256: 'b8f6ef6d84ac4e76a6449ba8491a5c04d215a116edff9fa99cc16826d13c83e0' }],
  },
  {
    name: 'roost-gaps',
    description: 'Roost band-gap sets of non-metals (experimental and MP)',
    licence: 'MIT (roost); MP CC BY 4.0; Zhuo et al. 2018 SI',
    availability: 'converted',
    files: [
      { path: 'composition/roost_expt_nonmetals_gap/expt-non-metals.csv', url: `${ROOST}/expt-non-metals.csv`, sha256: null, conversion: { kind: 'select-columns', columns: [['composition', 'formula'], ['Eg', 'target'], ['material_id', 'material_id']] } },
      { path: 'composition/roost_mp_nonmetals_gap/mp-non-metals.csv', url: `${ROOST}/mp-non-metals.csv`, sha256: null, conversion: { kind: 'select-columns', columns: [['composition', 'formula'], ['band_gap', 'target'], ['material_id', 'material_id']] } },
    ],
  },
  {
    name: 'hu2020',
    description: 'Sets of the Hu et al. 2020 code: GAN training formulas (OQMD, ICSD), MP band gaps, SuperCon Tc, raw Zhuo gaps',
    licence: 'no licence file upstream (Chilitiantian/code); OQMD CC BY 4.0, MP CC BY 4.0',
    availability: 'converted',
    files: [
      { path: 'composition/gan_train_oqmd/oqmd_formulas.csv', url: `${HU2020}/OQMD/train_formula.csv`, sha256: null, conversion: { kind: 'select-columns', columns: [['formulas', 'formula']] } },
      { path: 'composition/gan_train_oqmd/icsd_formulas.csv', url: `${HU2020}/ICSD/train_formula.csv`, sha256: null, conversion: { kind: 'select-columns', columns: [['formulas', 'formula']] } },
      { path: 'composition/hu2020_mp_bandgap/mp_bandgap.csv', url: `${HU2020}/MP/data.csv`, sha256: null, conversion: { kind: 'select-columns', columns: [['formulas', 'formula'], ['bandgap', 'target']] } },
      { path: 'composition/hu2020_supercon_tc/supercon_tc.csv', url: `${HU2020}/superconder/supercon-tc.csv`, sha256: null, conversion: { kind: 'select-columns', columns: [['formulas', 'formula'], ['bandgap', 'target']] } },
      { path: 'composition/zhuo2018_expt_gap_raw/expt_bandgaps.csv', url: `${HU2020}/supervised_data/datasets/expt-bandgaps.csv`, sha256: null, conversion: { kind: 'select-columns', columns: [['formulas', 'formula'], ['Eg', 'target']] } },
    ],
  },
  {
    name: 'elements-85',
    description: 'The 85-element row order of the Hu et al. 2020 composition matrix (composition/gan_train_oqmd/elements_85.csv)',
    licence: 'no licence file upstream (Chilitiantian/code)',
    availability: 'manual',
    files: [],
    note: 'made by hand from data/Periodic_Table/Periodic_Table.csv of Chilitiantian/code; copy it from a full data directory',
  },
  {
    name: 'supercon-stanev2018',
    description: 'SuperCon extract of Stanev et al. 2018 (16,414 formulas with Tc)',
    licence: 'no licence file upstream; NIMS SuperCon terms apply',
    availability: 'converted',
    files: [{ path: 'composition/supercon_stanev2018/supercon.csv', url: `${STANEV}/Supercon_data.csv`, sha256: null, conversion: { kind: 'select-columns', columns: [['name', 'formula'], ['Tc', 'target']] } }],
  },
  {
    name: 'nbo-poscar',
    description: 'The 267 Nb–O OQMD structures the seed project trained on (VASP POSCAR)',
    licence: 'OQMD CC BY 4.0',
    availability: 'unverified',
    files: nboPoscarFiles(),
    note: 'OQMD exports today\'s POSCAR text, which may differ in formatting from the 2021 copies; checksums are recorded on first download',
  },
  {
    name: 'nbo-seed',
    description: 'The seed project\'s tensors, augmented training sets and generated history (nbo/*.csv, nbo_structures.json)',
    licence: 'GPL-3.0 (ShuboLiu/NbO-Crystal-GAN); structures from OQMD CC BY 4.0',
    availability: 'manual',
    files: [],
    note: 'converted from .npy files and git history of ShuboLiu/NbO-Crystal-GAN; copy nbo/ from a full data directory',
  },
  {
    name: 'cif-samples',
    description: '20 real-world CIF files used by tests and the fuzzers',
    licence: 'mixed (COD public domain, AMCSD with citation, ICSD-style fixtures not for redistribution)',
    availability: 'manual',
    files: [],
    note: 'test fixtures from several repositories (one inside a zip, one not redistributable); copy cif-samples/ from a full data directory',
  },
];

/** Sets the download command fetches when no name is given: every one with a public URL. */
export function defaultDatasets(): CatalogDataset[] {
  return CATALOG.filter((d) => d.availability !== 'manual');
}

export function findDataset(name: string): CatalogDataset | undefined {
  return CATALOG.find((d) => d.name === name);
}
