"""A contract type for import-linter: no module imports itself back, through
any chain of imports, whatever packages the chain crosses.

import-linter's own acyclic_siblings contract compares packages; rooms such
as checkout.dispensing hold both records (below the order workflow) and doors
(above it), so cycles are checked here between modules. An import written
inside a function counts as any other: grimp reads every import statement.
"""

from importlinter import Contract, ContractCheck, fields, output


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    ignore_modules = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        ignored = tuple(self.ignore_modules or ())
        modules = sorted(
            m for m in graph.modules if not any(part in m for part in ignored)
        )
        imports = {
            m: sorted(
                i for i in graph.find_modules_directly_imported_by(m) if i in modules
            )
            for m in modules
        }
        cycles = [[*chain, chain[0]] for chain in _cycles(imports) if len(chain) > 1]
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for chain in check.metadata["cycles"]:
            output.print_error(" -> ".join(chain), bold=False)
            output.new_line()


def _cycles(imports: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected groups of the import graph (Tarjan), each as a
    list of its modules in an order that follows its imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a deep chain cannot exhaust Python's recursion limit.
        work = [(start, iter(imports[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, pending = work[-1]
            for imported in pending:
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(imports[imported])))
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    groups.append(group[::-1])

    for module in imports:
        if module not in index:
            visit(module)
    return groups
