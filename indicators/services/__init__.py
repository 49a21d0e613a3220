"""Every write of the indicators app, split by entity.

frameworks: frameworks, bands, the criteria tree, its invariants, copy, XLSX import/export.
assessments: opening, score lines, evidence, the workflow and the computed criteria.
kpi: KPI targets and measurements. indices: provincial index values and their import.
"""
