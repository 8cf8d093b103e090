// Functions of the mm world, outside the memory-type model, that are known to be functions even
// when neither the series nor the base tree shows their declaration (hunk-only mode). The
// memory-type predicates themselves (is_*_page, folio_is_*, *_devmap, ...) come from the model
// (allPredicateNames, rules/model/*.yaml); this list holds the generic page, page-table and
// swap-entry predicates the model does not track. Names only, no era: a name that is a
// function in one release is never a variable in another. Sources: include/linux/mm.h,
// pgtable.h, swapops.h, pfn_t.h of v4.14 .. v6.1.
export const OTHER_MM_PREDICATES: readonly string[] = [
  // page and folio level
  'is_device_page',
  'is_longterm_pinnable_page',
  'is_zero_page',
  'is_huge_zero_page',
  'is_zone_movable_page',
  'is_migrate_cma_page',
  'folio_is_longterm_pinnable',
  'folio_is_zone_movable',
  // page-table level
  'pte_special',
  'pmd_trans_huge',
  'pud_trans_huge',
  'pte_present',
  'pmd_present',
  'pte_none',
  'pmd_none',
  // swap entries
  'is_writable_device_private_entry',
  'is_device_exclusive_entry',
  'is_migration_entry',
  'is_writable_migration_entry',
  'non_swap_entry',
  // pfn_t
  'pfn_t_devmap',
  'pfn_t_has_page',
  'pfn_t_special',
];
