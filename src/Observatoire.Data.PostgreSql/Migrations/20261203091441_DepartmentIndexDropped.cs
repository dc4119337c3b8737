using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observatoire.Data.PostgreSql.Migrations
{
    /// <summary>
    /// Drops the index of the revisions' department, which no query reads (a random page written per grid). The model
    /// no longer declares the relation, so that EF Core does not ask for its index again; the constraint itself is kept
    /// (it still checks that a revision's department exists, and dropping it would rebuild the table on SQLite).
    /// </summary>
    public partial class DepartmentIndexDropped : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GridRevisions_DepartmentCode",
                table: "GridRevisions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_GridRevisions_DepartmentCode",
                table: "GridRevisions",
                column: "DepartmentCode");
        }
    }
}
