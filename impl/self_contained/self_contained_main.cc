// The checks of //impl/self_contained are the generated units' compilation:
// each includes one public header alone and uses what it declares. Running
// the test confirms the units also link against refipc.
int main() { return 0; }
