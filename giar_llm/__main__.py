from giar_llm.cli import main

main()
