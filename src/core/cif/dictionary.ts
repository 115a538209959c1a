// A compact dictionary of the core CIF tags this project reads or commonly meets, and the rules
// that make DDLm (`_cell.length_a`) and legacy DDL1 (`_cell_length_a`) spellings one lookup key.
// Not the full IUCr core dictionary: only the categories structure reading depends on are
// checked for unknown names (a typo there silently loses data), so journal, diffraction and
// refinement tags from real files never raise noise.

/** Lookup key: lower-case, first `.` → `_` (docs/cif-and-formulas.md §2). */
export function tagKey(name: string): string {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  return dot < 0 ? lower : lower.slice(0, dot) + '_' + lower.slice(dot + 1);
}

/** Legacy `_symmetry_*` keys and their current `_space_group_*` equivalents (both directions used). */
export const SYMMETRY_ALIASES: Readonly<Record<string, string>> = {
  '_symmetry_equiv_pos_as_xyz': '_space_group_symop_operation_xyz',
  '_symmetry_equiv_pos_site_id': '_space_group_symop_id',
  '_symmetry_space_group_name_h-m': '_space_group_name_h-m_alt',
  '_symmetry_space_group_name_hall': '_space_group_name_hall',
  '_symmetry_int_tables_number': '_space_group_it_number',
  '_symmetry_cell_setting': '_space_group_crystal_system',
};

const REVERSE_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SYMMETRY_ALIASES).map(([a, b]) => [b, a]));

/** Every key that means the same tag as `key` (itself first). */
export function keyAliases(key: string): string[] {
  const other = SYMMETRY_ALIASES[key] ?? REVERSE_ALIASES[key];
  // pymatgen also reads _symmetry_space_group_name_H_M; accept it for reading.
  if (key === '_symmetry_space_group_name_h-m') return [key, '_space_group_name_h-m_alt', '_symmetry_space_group_name_h_m'];
  return other ? [key, other] : [key];
}

// Known names, spelled as in the core dictionary (legacy form, DDLm form derived below).
const KNOWN_NAMES = `
_cell_length_a _cell_length_b _cell_length_c _cell_angle_alpha _cell_angle_beta _cell_angle_gamma
_cell_volume _cell_formula_units_Z _cell_measurement_temperature _cell_measurement_pressure
_cell_measurement_reflns_used _cell_measurement_theta_min _cell_measurement_theta_max
_cell_measurement_wavelength _cell_measurement_radiation _cell_special_details _cell_setting
_symmetry_equiv_pos_as_xyz _symmetry_equiv_pos_site_id _symmetry_space_group_name_H-M
_symmetry_space_group_name_Hall _symmetry_Int_Tables_number _symmetry_cell_setting
_space_group_symop_operation_xyz _space_group_symop_id _space_group_name_H-M_alt
_space_group_name_Hall _space_group_IT_number _space_group_crystal_system _space_group_id
_space_group_name_H-M_alt_description _space_group_name_H-M_full _space_group_name_H-M_ref
_space_group_name_Schoenflies _space_group_Laue_class _space_group_point_group_H-M
_space_group_centring_type _space_group_IT_coordinate_system_code _space_group_symop_sg_id
_atom_site_label _atom_site_type_symbol _atom_site_fract_x _atom_site_fract_y _atom_site_fract_z
_atom_site_Cartn_x _atom_site_Cartn_y _atom_site_Cartn_z _atom_site_occupancy
_atom_site_U_iso_or_equiv _atom_site_B_iso_or_equiv _atom_site_adp_type
_atom_site_thermal_displace_type _atom_site_symmetry_multiplicity _atom_site_Wyckoff_symbol
_atom_site_calc_flag _atom_site_calc_attached_atom _atom_site_disorder_group
_atom_site_disorder_assembly _atom_site_refinement_flags _atom_site_refinement_flags_posn
_atom_site_refinement_flags_adp _atom_site_refinement_flags_occupancy _atom_site_attached_hydrogens
_atom_site_constraints _atom_site_details _atom_site_site_symmetry_order
_atom_site_site_symmetry_multiplicity _atom_site_restraints _atom_site_chemical_conn_number
_atom_site_label_component_0 _atom_site_aniso_label _atom_site_aniso_type_symbol
_atom_site_aniso_U_11 _atom_site_aniso_U_22 _atom_site_aniso_U_33 _atom_site_aniso_U_12
_atom_site_aniso_U_13 _atom_site_aniso_U_23 _atom_site_aniso_B_11 _atom_site_aniso_B_22
_atom_site_aniso_B_33 _atom_site_aniso_B_12 _atom_site_aniso_B_13 _atom_site_aniso_B_23
_atom_site_aniso_ratio _atom_sites_solution_primary _atom_sites_solution_secondary
_atom_sites_solution_hydrogens _atom_sites_fract_tran_matrix_11 _atom_sites_special_details
_atom_sites_Cartn_transform_axes _atom_type_symbol _atom_type_oxidation_number
_atom_type_number_in_cell _atom_type_description _atom_type_radius_bond _atom_type_radius_contact
_atom_type_scat_source _atom_type_scat_dispersion_real _atom_type_scat_dispersion_imag
_atom_type_scat_Cromer_Mann_a1 _atom_type_scat_Cromer_Mann_b1 _atom_type_scat_Cromer_Mann_c
_atom_type_scat_length_neutron _atom_type_scat_dispersion_source _atom_type_scat_versus_stol_list
_chemical_formula_sum _chemical_formula_moiety _chemical_formula_structural
_chemical_formula_weight _chemical_formula_iupac _chemical_formula_analytical
_chemical_formula_weight_meas _chemical_formula_units_Z
`;

/** Categories whose unknown names are reported (typos here lose structure data). */
const CHECKED_PREFIXES = ['_cell_', '_symmetry_', '_space_group_', '_atom_site_', '_atom_sites_', '_atom_type_', '_chemical_formula_'];

const KNOWN: ReadonlyMap<string, string> = new Map(
  KNOWN_NAMES.trim()
    .split(/\s+/)
    .map((name) => [tagKey(name), name]),
);

/** The dictionary spelling of a known tag (legacy form), or undefined. */
export function knownTagName(key: string): string | undefined {
  return KNOWN.get(key);
}

/** True when an unknown name should be reported: it sits in a structure category or is one typo away from a known tag. */
export function isCheckedCategory(key: string): boolean {
  return CHECKED_PREFIXES.some((p) => key.startsWith(p));
}

const nearestCache = new Map<string, { name: string; distance: number } | null>();

/**
 * The known tag nearest to `key` by edit distance, when within `maxDistance`. With `samePrefix`,
 * only known tags sharing the first two letters are tried: that keeps the check cheap for the many
 * journal and refinement tags of real files, at the cost of missing typos in those two letters.
 * Results are memoised (the editor re-parses the same names on every edit).
 */
export function nearestKnownTag(key: string, maxDistance = 3, samePrefix = false): { name: string; distance: number } | undefined {
  const cacheKey = `${maxDistance}${samePrefix ? 'p' : ''}${key}`;
  const cached = nearestCache.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  const result = searchNearest(key, maxDistance, samePrefix);
  if (nearestCache.size > 5000) nearestCache.clear();
  nearestCache.set(cacheKey, result ?? null);
  return result;
}

function searchNearest(key: string, maxDistance: number, samePrefix: boolean): { name: string; distance: number } | undefined {
  let best: { name: string; distance: number } | undefined;
  const prefix = key.slice(0, 3);
  for (const [known, name] of KNOWN) {
    if (Math.abs(known.length - key.length) > maxDistance) continue;
    if (samePrefix && !known.startsWith(prefix)) continue;
    const d = editDistance(key, known, maxDistance);
    if (d <= maxDistance && (!best || d < best.distance)) best = { name, distance: d };
  }
  return best;
}

/** Levenshtein distance with an early exit once every cell of a row exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return rowMin;
    previous = current;
  }
  return previous[b.length];
}

// Legacy names whose DDLm dotted spelling is unambiguous (the table in docs/cif-and-formulas.md §2).
const DDLM_FORMS: ReadonlyMap<string, string> = new Map(
  `_cell.length_a _cell.length_b _cell.length_c _cell.angle_alpha _cell.angle_beta _cell.angle_gamma
   _cell.volume _cell.formula_units_Z _space_group.name_H-M_alt _space_group.name_Hall _space_group.IT_number
   _space_group.crystal_system _space_group_symop.operation_xyz _space_group_symop.id _atom_site.label
   _atom_site.type_symbol _atom_site.fract_x _atom_site.fract_y _atom_site.fract_z _atom_site.Cartn_x
   _atom_site.Cartn_y _atom_site.Cartn_z _atom_site.occupancy _atom_site.U_iso_or_equiv _atom_site.B_iso_or_equiv
   _atom_site.adp_type _atom_site.symmetry_multiplicity _atom_site.Wyckoff_symbol _atom_site.calc_flag
   _atom_site.disorder_group _atom_site_aniso.label _atom_site_aniso.U_11 _atom_site_aniso.U_22
   _atom_site_aniso.U_33 _atom_site_aniso.U_12 _atom_site_aniso.U_13 _atom_site_aniso.U_23 _atom_type.symbol
   _atom_type.oxidation_number _chemical_formula.sum _chemical_formula.moiety _chemical_formula.structural`
    .split(/\s+/)
    .map((dotted) => [tagKey(dotted), dotted]),
);

/** The DDLm dotted spelling of a legacy name when it is unambiguous (`_cell_length_a` → `_cell.length_a`). */
export function ddlmSpelling(name: string): string | undefined {
  if (name.includes('.')) return undefined;
  const key = tagKey(name);
  return DDLM_FORMS.get(SYMMETRY_ALIASES[key] ?? key);
}
