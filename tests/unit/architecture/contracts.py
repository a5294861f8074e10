"""A custom import-linter contract: slices meet only through each other's public modules.

import-linter's own contracts protect modules from a fixed set of importers; "any other slice, but only
these module names" needs one contract per slice and module. This one reads it from the config: the
slices (children of a container package), the public module names, the slices open to all (libraries
without tables), and the wiring modules that assemble private ones (routes, jobs, middleware).
"""

from __future__ import annotations

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


class SliceBoundariesContract(Contract):
    type_name = "slice_boundaries"

    container = fields.StringField()
    public = fields.SetField(subfield=fields.StringField())
    open_slices = fields.SetField(subfield=fields.StringField(), required=False)
    wiring = fields.SetField(subfield=fields.ModuleExpressionField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(contract_utils.AlertLevel,
                                                         default=contract_utils.AlertLevel.ERROR)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph, ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting)  # type: ignore[arg-type]
        container = str(self.container)
        depth = container.count(".") + 1
        public, open_slices = set(self.public), set(self.open_slices or ())  # type: ignore[arg-type]
        wiring = {str(expression.expression) for expression in self.wiring or ()}  # type: ignore[union-attr]
        illegal = []
        for importer in sorted(graph.modules):
            parts = importer.split(".")
            if not importer.startswith(container + ".") or importer in wiring:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = imported.split(".")
                if not imported.startswith(container + ".") or len(target) <= depth + 1:
                    continue  # outside the slices, or a slice's package itself
                if target[depth] in {parts[depth], *open_slices} or target[depth + 1] in public:
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                illegal.append((importer, imported, [d["line_number"] for d in details]))
        return ContractCheck(kept=not illegal, warnings=list(removal.warnings),
                             ignored_import_count=removal.ignored_import_count, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Imports of another slice's private module:", bold=False)
        output.new_line()
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(f"- {importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False)
        output.new_line()
