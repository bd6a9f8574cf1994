"""What a team does with its agents besides building them: ``check`` that build/ is fresh,
``diff`` two states of the repository, ``explain`` where a value came from, ``fix`` what the
checks can fix, ``validate`` any SWML document, ``watch`` the sources, ``import`` existing SWML,
and the catalogue of diagnostic codes. Each a library entry point that never prints."""
